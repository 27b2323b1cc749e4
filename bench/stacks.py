#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a function's time goes, from the stacks bench/profile.sh keeps.

    bench/stacks.py prof/perf-rr-svr.stacks svr_dp_prerouting svr_fast_lane
    bench/stacks.py --diff prof/perf-rr-svr.stacks prof/perf-rr-nat.stacks

For each FUNCTION: the share of all samples with it on the stack, and how
that splits over the functions it called ("self": the samples it was the
leaf of). With --diff: the leaf functions whose share differs most between
two profiles of the same workload (the first minus the second).

The input is `perf script -F ip,sym` output (SVR_PROFILE_KEEP=DIR keeps it
as DIR/perf[-WL]-MODE.stacks): one "ip symbol" line a frame, leaf first,
a blank line between samples.
"""
import argparse
import collections


def load(path):
    """The samples of @path, each a list of symbols, leaf first."""
    samples, cur = [], []
    with open(path) as f:
        for line in f:
            parts = line.split(None, 1)
            if not parts:
                if cur:
                    samples.append(cur)
                cur = []
                continue
            sym = parts[1].strip() if len(parts) > 1 else "?"
            cur.append(sym.split("+")[0])
    if cur:
        samples.append(cur)
    return samples


def split(samples, fn, limit):
    """Print @fn's share and its callees' shares of @samples."""
    callees = collections.Counter()
    n = 0
    for s in samples:
        if fn not in s:
            continue
        n += 1
        i = s.index(fn)
        callees[s[i - 1] if i else "self"] += 1
    total = len(samples) or 1
    print("%6.2f%% %s" % (100 * n / total, fn))
    for name, k in callees.most_common():
        if 100 * k / total < limit:
            break
        print("   %6.2f%% %s" % (100 * k / total, name))


def leaves(samples):
    c = collections.Counter(s[0] for s in samples)
    total = len(samples) or 1
    return {k: v / total for k, v in c.items()}


def diff(a, b, n):
    la, lb = leaves(a), leaves(b)
    d = sorted(((la.get(k, 0) - lb.get(k, 0), k) for k in set(la) | set(lb)),
               reverse=True)
    for i, part in enumerate((d[:n], d[-n:])):
        if i:
            print("   ...")
        for x, k in part:
            print("%+6.2f%% %s (%.2f%% / %.2f%%)" %
                  (100 * x, k, 100 * la.get(k, 0), 100 * lb.get(k, 0)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stacks")
    ap.add_argument("functions", nargs="*")
    ap.add_argument("--diff", metavar="OTHER",
                    help="compare leaf shares with OTHER's stacks")
    ap.add_argument("--limit", type=float, default=0.1,
                    help="hide callees under this share, in %% (0.1)")
    ap.add_argument("-n", type=int, default=20,
                    help="--diff: how many each way (20)")
    args = ap.parse_args()
    samples = load(args.stacks)
    print("%d samples" % len(samples))
    if args.diff:
        diff(samples, load(args.diff), args.n)
    for fn in args.functions:
        split(samples, fn, args.limit)


if __name__ == "__main__":
    main()
