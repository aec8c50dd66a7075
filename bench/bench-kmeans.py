#!/usr/bin/python3
# Fits scikit-learn's KMeans to the rows bench-kmeans wrote (-w FILE), with
# the same settings (k=8, n_init=1, k-means++, Lloyd), and prints the fit
# time and inertia in bench-kmeans's format.
#
# usage: bench-kmeans.py FILE [first-seed [runs]]
import sys
import time

import numpy as np
from sklearn.cluster import KMeans


def fit(x, seed):
    km = KMeans(n_clusters=8, n_init=1, init="k-means++", algorithm="lloyd",
                random_state=seed)
    c0 = time.process_time()
    t0 = time.perf_counter()
    km.fit(x)
    t1 = time.perf_counter()
    c1 = time.process_time()
    print("sklearn lloyd: n=%d d=%d k=8 seed %d time %.3f s inertia %.6f "
          "iterations %d cpu %.3f s" % (x.shape[0], x.shape[1], seed, t1 - t0,
                                        km.inertia_, km.n_iter_, c1 - c0))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench-kmeans.py FILE [first-seed [runs]]")
    x = np.fromfile(sys.argv[1], dtype="<f8").reshape(-1, 8)
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for seed in range(first, first + runs):
        fit(x, seed)


if __name__ == "__main__":
    main()
