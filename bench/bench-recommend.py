#!/usr/bin/env python3
"""scipy.sparse reference for bench-recommend: the same item-CF work on the
same events (the data file written by bench-recommend -o FILE).

Steps, timed like the C program: build the user x item matrix (repeated
pairs summed), item-item cosine with shrinkage, sim = dot / (|a||b| +
shrink), pruned to the M best neighbours per item, per-user scores
X @ S, consumed items removed, top-k per user. With -l LISTS (written by
bench-recommend -l) it also reports how often the two top-k lists agree.

usage: bench-recommend.py DATA [-k 10] [-m 50] [--shrink 10] [-l LISTS]
"""
import argparse
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp


def read_events(path):
    with open(path, "rb") as f:
        if f.read(8) != b"XMREC01\0":
            sys.exit(f"{path}: not a bench-recommend data file")
        nusers, nitems, n = np.frombuffer(f.read(24), dtype="<u8")
        user = np.frombuffer(f.read(4 * int(n)), dtype="<u4")
        item = np.frombuffer(f.read(4 * int(n)), dtype="<u4")
        weight = np.frombuffer(f.read(8 * int(n)), dtype="<f8")
    return int(nusers), int(nitems), user, item, weight


def prune(s, m):
    """Keeps the m largest entries of each row (ties: lower column)."""
    s = s.tocsr()
    rows, cols, vals = [], [], []
    for i in range(s.shape[0]):
        lo, hi = s.indptr[i], s.indptr[i + 1]
        c, v = s.indices[lo:hi], s.data[lo:hi]
        if len(v) > m:
            order = np.lexsort((c, -v))[:m]
            c, v = c[order], v[order]
        rows.append(np.full(len(c), i, dtype=np.int64))
        cols.append(c)
        vals.append(v)
    return sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows),
                          np.concatenate(cols))), shape=s.shape)


def item_cosine(x, m, shrink):
    norm = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
    s = (x.T @ x).tocoo()
    keep = s.row != s.col
    r, c, v = s.row[keep], s.col[keep], s.data[keep]
    v = v / (norm[r] * norm[c] + shrink)
    return prune(sp.coo_matrix((v, (r, c)), shape=s.shape), m)


def top_k(scores, consumed, k):
    scores = (scores - scores.multiply(consumed)).tocsr()
    scores.eliminate_zeros()
    out = np.full((scores.shape[0], k), -1, dtype=np.int64)
    for u in range(scores.shape[0]):
        lo, hi = scores.indptr[u], scores.indptr[u + 1]
        if lo == hi:
            continue
        c, v = scores.indices[lo:hi], scores.data[lo:hi]
        if len(v) > k:
            part = np.argpartition(-v, k - 1)[:k]
            c, v = c[part], v[part]
        order = np.lexsort((c, -v))
        out[u, :len(order)] = c[order]
    return out


def agreement(lists, path, k):
    c = np.fromfile(path, dtype="<u4").astype(np.int64).reshape(-1, k)
    c[c == 0xFFFFFFFF] = -1
    same = np.mean(np.all(c == lists, axis=1))
    sets = np.mean([len(set(a[a >= 0]) & set(b[b >= 0])) / len(a[a >= 0])
                    if (a >= 0).any() else float((b < 0).all())
                    for a, b in zip(c, lists)])
    print(f"agreement with C: identical lists {same:.4f}, "
          f"mean top-{k} overlap {sets:.4f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("-m", type=int, default=50)
    ap.add_argument("--shrink", type=float, default=10)
    ap.add_argument("-l", dest="lists")
    a = ap.parse_args()
    nusers, nitems, user, item, weight = read_events(a.data)

    c0 = time.process_time()
    t0 = time.perf_counter()
    x = sp.csr_matrix((weight, (user, item)), shape=(nusers, nitems))
    x.sum_duplicates()
    t1 = time.perf_counter()
    s = item_cosine(x, a.m, a.shrink)
    t2 = time.perf_counter()
    consumed = x.copy()
    consumed.data[:] = 1
    lists = top_k(x @ s, consumed, a.k)
    t3 = time.perf_counter()
    c3 = time.process_time()
    print(f"scipy {scipy.__version__}: {nusers} users x "
          f"{nitems} items, {x.nnz} pairs")
    print(f"build {t1 - t0:.3f} s, itemcf {t2 - t1:.3f} s, top-{a.k} "
          f"{t3 - t2:.3f} s, total {t3 - t0:.3f} s ({c3 - c0:.3f} s CPU)")
    if a.lists:
        agreement(lists, a.lists, a.k)


if __name__ == "__main__":
    main()
