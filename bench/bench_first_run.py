"""CPU of one warm run of the default page (the Image lab at "/"), in the thread that runs the script.

    PYTHONPATH=. python bench/bench_first_run.py [--runs 12] [--profile 40]

Each run is a new session (a new AppTest) on a process whose shared caches are already warm, like the
41st student of a class. The figure is CPU seconds of the script thread (time.thread_time), so machine load
changes it less than wall time; --profile N prints the N costliest functions (cProfile, thread CPU) of the
measured runs. It does not count the websocket, protobuf and media requests of a real server
(bench/load.py --arrival measures those).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    profiler = cProfile.Profile(time.thread_time) if args.profile else None
    seconds: list[float] = []
    measuring = False
    run_script = script_runner.ScriptRunner._run_script

    def timed(self, *a, **k):
        if not measuring:
            return run_script(self, *a, **k)
        start = time.thread_time()
        if profiler:
            profiler.enable()
        try:
            return run_script(self, *a, **k)
        finally:
            if profiler:
                profiler.disable()
            seconds.append(time.thread_time() - start)

    script_runner.ScriptRunner._run_script = timed
    for _ in range(2):  # imports, shared pictures and figures
        AppTest.from_file(APP, default_timeout=300).run()
    measuring = True
    for _ in range(args.runs):
        app = AppTest.from_file(APP, default_timeout=300).run()
        assert not app.exception, app.exception
    print(f"default page, warm run, script-thread CPU over {args.runs} sessions: median "
          f"{statistics.median(seconds) * 1000:.1f} ms, min {min(seconds) * 1000:.1f} ms, "
          f"max {max(seconds) * 1000:.1f} ms{' (profiled: slower)' if profiler else ''}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
