"""Instructions per engine evaluation, counted by valgrind's callgrind (a script, not a test).

Wall-clock figures on this shared VM vary by tens of percent between runs; instruction counts do not, so
this is the number to compare when changing the engine. Runs the engine benchmark's workload (2,000
requests) twice under callgrind, without and with two extra passes, and prints the difference per
evaluation.

Run: .venv/bin/python bench/engine_icount.py   (needs valgrind)
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
N = 2000
PASSES = 2


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


def instructions(extra_passes: int) -> int:
    out = os.path.join(tempfile.mkdtemp(), "callgrind.out")
    python = os.path.realpath(sys.executable)
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, __file__,
                             "--workload", str(extra_passes)], capture_output=True, text=True, cwd=ROOT)
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        sys.exit(f"callgrind failed:\n{result.stderr[-2000:]}")
    return int(match.group(1))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--workload":
        workload(int(sys.argv[2]))
        return
    base = instructions(0)
    more = instructions(PASSES)
    print(f"engine: {(more - base) // (N * PASSES):,} instructions per evaluation "
          f"({N:,} distinct requests x {PASSES} passes, callgrind)")


if __name__ == "__main__":
    main()
