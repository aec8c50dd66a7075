"""Compares two JSON Lines outputs of crossmkt value by value: numbers to a
relative tolerance, everything else exactly; keys named on the command line
after the files are ignored. Prints each difference; exit status 1 if any."""
import json
import sys


def walk(a, b, path, tol, skip, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k in skip:
                continue
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'second' if k in b else 'first'}")
            else:
                walk(a[k], b[k], f"{path}.{k}", tol, skip, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} against {len(b)} items")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", tol, skip, out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        if abs(a - b) > tol * max(abs(a), abs(b), 1e-300):
            out.append(f"{path}: {a!r} against {b!r}")
    elif a != b:
        out.append(f"{path}: {a!r} against {b!r}")


def main():
    first, second, tol = sys.argv[1], sys.argv[2], float(sys.argv[3])
    skip = set(sys.argv[4:])
    with open(first) as f, open(second) as g:
        la, lb = f.read().splitlines(), g.read().splitlines()
    out = []
    if len(la) != len(lb):
        out.append(f"{len(la)} against {len(lb)} lines")
    for i, (x, y) in enumerate(zip(la, lb)):
        walk(json.loads(x), json.loads(y), f"line {i + 1}", tol, skip, out)
    for d in out[:20]:
        print(d)
    sys.exit(1 if out else 0)


main()
