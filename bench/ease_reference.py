#!/usr/bin/env python3
"""numpy reference for crossmkt's EASE (Steck 2019) and its offline split.

Reads events as crossmkt's `load ev FILE user=U item=I time=T` followed by
`evaluate-recs ev method=ease split=...` sees them: rows without a user
or an item are skipped, users and items are numbered in order of first
appearance, each user-item pair counts once (weight 1), and

  split=last   holds out each user's item of the last event by (time, row),
               for users with two or more distinct items;
  split=F      holds out round(F * n) of each such user's n items (at least
               one, never all) by a partial Fisher-Yates over the user's
               items in index order, drawing with MT19937 seeded as GSL's
               gsl_rng_mt19937 and gsl_rng_uniform_int's rejection rule.

Then G = X'X + lambda I, P = G^-1, B = I - P diag(1 / diag(P)), scores X B,
consumed items excluded, ties to the lower item index; NDCG@k (log2
discount, ideal over min(held out, k)) and hit rate@k over the users with
held-out items. Popularity (distinct training users per item) is scored on
the same split: it must equal crossmkt's `popular`, which shows that the
splits agree.

usage: ease_reference.py FILE --user COL --item COL [--time COL]
         [--split last|F] [--seed 42] [--lambda 100] [-k 10]
       ease_reference.py FILE --user COL --item COL --scores --lambda L
         (prints every user's EASE score for every item, %.17g, one user a
          line, for the test suite's fixed reference values)
"""
import argparse
import csv
import sys
import time

import numpy as np


def read_events(path, ucol, icol, tcol):
    """Dense user and item indices (first appearance), times, row order."""
    users, items, rows = {}, {}, []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        ui, ii = head.index(ucol), head.index(icol)
        ti = head.index(tcol) if tcol else None
        for rec in r:
            u, i = rec[ui].strip(), rec[ii].strip()
            if u == "" or i == "":
                continue
            uid = users.setdefault(u, len(users))
            iid = items.setdefault(i, len(items))
            rows.append((uid, iid, rec[ti] if ti is not None else ""))
    return len(users), len(items), rows


def user_items(nusers, rows):
    """Each user's distinct items, ascending."""
    sets = [set() for _ in range(nusers)]
    for u, i, _ in rows:
        sets[u].add(i)
    return [sorted(s) for s in sets]


def split_last(nusers, rows, items_of):
    """The item of each user's last event by (time, row)."""
    last = [None] * nusers
    for u, i, t in rows:
        if last[u] is None or t >= last[u][0]:
            last[u] = (t, i)
    return [[last[u][1]] if len(items_of[u]) >= 2 else []
            for u in range(nusers)]


class GslMt:
    """gsl_rng_mt19937 seeded with gsl_rng_set, and gsl_rng_uniform_int."""

    def __init__(self, seed):
        self.bg = np.random.MT19937()
        self.bg._legacy_seeding(seed if seed != 0 else 4357)
        self.buf, self.pos = self.bg.random_raw(1 << 16), 0

    def get(self):
        if self.pos == len(self.buf):
            self.buf, self.pos = self.bg.random_raw(1 << 16), 0
        self.pos += 1
        return int(self.buf[self.pos - 1])

    def uniform_int(self, n):
        scale = 0xFFFFFFFF // n
        while True:
            k = self.get() // scale
            if k < n:
                return k


def split_fraction(items_of, frac, seed):
    rng = GslMt(seed)
    test = []
    for its in items_of:
        n = len(its)
        if n < 2:
            test.append([])
            continue
        h = min(max(int(np.floor(frac * n + 0.5)), 1), n - 1)
        idx = list(range(n))
        held = []
        for i in range(h):
            j = i + rng.uniform_int(n - i)
            idx[i], idx[j] = idx[j], idx[i]
            held.append(its[idx[i]])
        test.append(sorted(held))
    return test


def train_matrix(nusers, nitems, items_of, test):
    x = np.zeros((nusers, nitems))
    for u, its in enumerate(items_of):
        held = set(test[u])
        for i in its:
            if i not in held:
                x[u, i] = 1
    return x


def ease(x, lam):
    g = x.T @ x
    g[np.diag_indices_from(g)] += lam
    p = np.linalg.inv(g)
    b = -p / np.diag(p)
    b[np.diag_indices_from(b)] = 0
    return b


def top_k(scores, x, k, eligible=None):
    """Best k per row: higher score, then lower index; consumed excluded."""
    s = np.where(x > 0, -np.inf, scores)
    if eligible is not None:
        s = np.where(eligible[None, :], s, -np.inf)
    out = []
    for u in range(s.shape[0]):
        row = s[u]
        order = np.lexsort((np.arange(len(row)), -row))[:k]
        out.append([j for j in order if np.isfinite(row[j])])
    return out


def metrics(lists, test, k):
    ndcg, hit, n = 0.0, 0.0, 0
    for u, held in enumerate(test):
        if not held:
            continue
        held = set(held)
        dcg = sum(1 / np.log2(r + 2) for r, j in enumerate(lists[u][:k])
                  if j in held)
        idcg = sum(1 / np.log2(r + 2) for r in range(min(len(held), k)))
        ndcg += dcg / idcg
        hit += dcg > 0
        n += 1
    return ndcg / n, hit / n, n


def evaluate(a, nusers, nitems, rows, items_of):
    if a.split == "last":
        test = split_last(nusers, rows, items_of)
    else:
        test = split_fraction(items_of, float(a.split), a.seed)
    x = train_matrix(nusers, nitems, items_of, test)
    users = [u for u in range(nusers) if test[u]]
    pop = x.sum(axis=0)
    plists = top_k(np.tile(pop, (len(users), 1)), x[users], a.k, pop > 0)
    t0 = time.perf_counter()
    b = ease(x, a.lam)
    elists = top_k(x[users] @ b, x[users], a.k)
    t1 = time.perf_counter()
    full = [[] for _ in range(nusers)]
    pfull = [[] for _ in range(nusers)]
    for n, u in enumerate(users):
        full[u], pfull[u] = elists[n], plists[n]
    pn, ph, _ = metrics(pfull, test, a.k)
    en, eh, nu = metrics(full, test, a.k)
    label = "last" if a.split == "last" else f"{a.split} seed={a.seed}"
    print(f"numpy {np.__version__} split={label}: {nu} users, {nitems} "
          f"items; popular NDCG@{a.k} {pn:.4f} hit@{a.k} {ph:.4f}; "
          f"EASE lambda {a.lam:g} NDCG@{a.k} {en:.4f} hit@{a.k} {eh:.4f}; "
          f"EASE fit+evaluate {t1 - t0:.2f} s")


def scores(a, nusers, nitems, items_of):
    x = train_matrix(nusers, nitems, items_of, [[]] * nusers)
    s = x @ ease(x, a.lam)
    for u in range(nusers):
        print(" ".join(f"{v:.17g}" for v in s[u]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--user", required=True)
    ap.add_argument("--item", required=True)
    ap.add_argument("--time")
    ap.add_argument("--split", default="0.2")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--lambda", dest="lam", type=float, default=100)
    ap.add_argument("-k", type=int, default=10)
    ap.add_argument("--scores", action="store_true")
    a = ap.parse_args()
    nusers, nitems, rows = read_events(a.file, a.user, a.item, a.time)
    items_of = user_items(nusers, rows)
    if a.scores:
        scores(a, nusers, nitems, items_of)
    elif a.split == "last" and not a.time:
        sys.exit("split=last needs --time")
    else:
        evaluate(a, nusers, nitems, rows, items_of)


if __name__ == "__main__":
    main()
