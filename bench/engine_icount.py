"""Instructions per engine evaluation, counted by valgrind's callgrind (a script, not a test).

Wall-clock figures on this shared VM vary by tens of percent between runs; instruction counts do not, so
this is the number to compare when changing the engine. Runs the engine benchmark's workload (2,000
requests) under callgrind, without and with two extra passes, and prints the difference per evaluation:
the median over three hash seeds.

Run: .venv/bin/python bench/engine_icount.py   (needs valgrind)
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
N = 2000
PASSES = 2
SEEDS = (0, 1, 2)


def workload(extra_passes: int) -> None:
    sys.path.insert(0, HERE)
    sys.path.insert(0, ROOT)
    import engine_bench as bench

    from kmstrainer.engine import Simulator

    bench.N_REQUESTS = N
    rng = random.Random(bench.SEED)
    sims = [Simulator(bench.make_world(w, rng)) for w in range(bench.N_WORLDS)]
    requests = bench.make_requests(rng)
    for _ in range(1 + extra_passes):
        for w, request in requests:
            sims[w].run(request)


def callgrind_instructions(script: str, args: list[str], seed: int) -> int:
    """Instructions of `python script args...` under callgrind, with PYTHONHASHSEED=`seed` (dictionary
    layouts, and with them the count, move by a percent or two from one hash seed to another)."""
    out = os.path.join(tempfile.mkdtemp(), "callgrind.out")
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                             os.path.realpath(sys.executable), script, *args],
                            capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": str(seed)})
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        sys.exit(f"callgrind failed:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def per_pass(script: str, args: list[str], passes: int, requests: int) -> int:
    """Instructions per request of `passes` extra passes: the median over SEEDS, two valgrinds at a time."""
    def one(seed: int) -> int:
        more = callgrind_instructions(script, [*args, str(passes)], seed)
        return (more - callgrind_instructions(script, [*args, "0"], seed)) // (requests * passes)
    with ThreadPoolExecutor(2) as pool:
        return int(statistics.median(pool.map(one, SEEDS)))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--workload":
        workload(int(sys.argv[2]))
        return
    cost = per_pass(__file__, ["--workload"], PASSES, N)
    print(f"engine: {cost:,} instructions per evaluation "
          f"({N:,} distinct requests x {PASSES} passes, callgrind, median of {len(SEEDS)} hash seeds)")


if __name__ == "__main__":
    main()
