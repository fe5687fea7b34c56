"""The access review on every scenario of the pack: probes, findings and time per review.

    python bench/review_bench.py [--repeat 5]

For each scenario the reference solution is graded against itself (it must come back solved with
no finding) and timed; the script prints probes, over-/under-grants, bounded, and the median and
worst time of `--repeat` runs, then the p50/p99 over the pack.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kmstrainer.engine import grade, load_scenario  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("paths", nargs="*", default=[os.path.join(ROOT, "scenarios", "content")])
    args = parser.parse_args()
    files = []
    for path in args.paths:
        files += sorted(glob.glob(os.path.join(path, "*.yaml"))) if os.path.isdir(path) else [path]
    times: list[float] = []
    print(f"{'scenario':48} {'probes':>6} {'over':>4} {'under':>5} {'bounded':>7} {'median ms':>9} {'max ms':>7}")
    unsolved = 0
    for path in files:
        scenario = load_scenario(path)
        runs = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = grade(scenario, scenario.solution or [])
            runs.append((time.perf_counter() - started) * 1000)
        times += runs
        review = result.review
        unsolved += not result.solved
        print(f"{scenario.id[:48]:48} {review.probes:6d} {len(review.over_grants):4d} {len(review.under_grants):5d} "
              f"{str(review.bounded):>7} {statistics.median(runs):9.1f} {max(runs):7.1f}")
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{len(files)} scenarios, {len(times)} reviews: p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
          f"max {times[-1]:.1f} ms; references not solved: {unsolved}")
    return 1 if unsolved else 0


if __name__ == "__main__":
    raise SystemExit(main())
