"""Server CPU of a stage release with and without the neighbours' maps sent ahead (docs/benchmarks.md, "Stage").

AppTest in this process (no browser): the Layer lab's default stack, the stage's kernel-size slider swept
4, 5, 6, 7, 6, 5, 4, 3 twice, in the whole lab and with "Only the stage"; CPU time of each run (all threads of
this process), median. Sending ahead off (stage.AHEAD empty), on, off again, so drift shows.

    PYTHONPATH=. python bench/bench_stage_cpu.py
"""
from __future__ import annotations

import statistics
import time

from playground.ui.layer_lab import stage
from testkit.apptest import open_app

SWEEP = [4, 5, 6, 7, 6, 5, 4, 3] * 2


def measure(label: str) -> None:
    """One fresh session: the median CPU and wall time per release, whole lab and stage alone."""
    at = open_app("pages/layer_lab.py", timeout=90)
    for only in (False, True):
        at.toggle(key="w.view.layers.stage_only").set_value(only).run()
        cpu, wall = [], []
        for k in SWEEP:
            c0, w0 = time.process_time(), time.perf_counter()
            at.slider(key="stage.w.net.layers.0.kernel").set_value(k).run()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(f"{label:9s} {'only the stage' if only else 'whole lab':14s} CPU median {1000 * statistics.median(cpu):4.0f} ms"
              f"  wall median {1000 * statistics.median(wall):4.0f} ms  n {len(SWEEP)}", flush=True)


def main() -> None:
    """Off, on, off."""
    ahead = stage.AHEAD
    for label, fields in (("no ahead", ()), ("ahead", ahead), ("no ahead", ())):
        stage.AHEAD = fields
        measure(label)
    stage.AHEAD = ahead


if __name__ == "__main__":
    main()
