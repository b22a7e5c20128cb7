"""Server time per step of the conv step-through (budget: 100 ms).

Two figures per setting:
- "board": what the fragment draws for one step: the step, the filled output and the SVG board with the
  arithmetic, as the one HTML string sent to the browser (Streamlit adds protobuf + websocket);
- "AppTest rerun": pressing "Step" in streamlit.testing.v1.AppTest, which reruns the WHOLE page
  (settings, formula and grids); in the browser only the fragment reruns, so this is an upper bound.
Run: python bench/bench_steps.py
"""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from playground.steps.inputs import preset_kernel, random_grid
from playground.steps.problem import make_problem, step
from playground.ui.conv_steps.stage import board_html

ROOT = Path(__file__).resolve().parents[1]

SETTINGS = {  # name: (op, size, channels, kernel, stride, padding, dilation)
    "5×5, 3×3 kernel, stride 2, padding 1 (the lesson example)": ("conv", 5, 1, 3, 2, 1, 1),
    "12×12, 5×5 kernel, padding 3 (largest grid: 18×18 padded, 196 steps)": ("conv", 12, 1, 5, 1, 3, 1),
    "12×12 RGB, 3×3 kernel, padding 1, dilation 2 (three channels)": ("conv", 12, 3, 3, 1, 1, 2),
    "12×12 RGB max pool 2×2, stride 1": ("maxpool", 12, 3, 2, 1, 1, 1),
}


def problem_for(op, size, channels, k, s, p, d):
    """The bench setting as a validated Problem."""
    x = random_grid(size, channels, 0)
    weight = preset_kernel("box", k, channels) if op == "conv" else None
    return make_problem(op, x, weight, k, 0.5, s, p, d)


def board_size(problem, index: int) -> int:
    """Everything one step draws (the page's own board builder); returns the HTML size in bytes."""
    return len(board_html(problem, step(problem, index)))


def time_grids(problem) -> tuple[list[float], int]:
    """Milliseconds per step over every step of the problem, and the largest payload."""
    times, size = [], 0
    for i in range(problem.count):
        t0 = time.perf_counter()
        size = max(size, board_size(problem, i))
        times.append((time.perf_counter() - t0) * 1000)
    return times, size


def time_apptest(presses: int = 8) -> list[float]:
    """Milliseconds per "Step" press in AppTest (whole-page rerun), default setting."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["ui.lang"] = "en"
    at.run()
    at.switch_page("pages/conv_steps.py")
    at.run()
    times = []
    for _ in range(presses):
        t0 = time.perf_counter()
        at.button(key="steps.fwd_btn").click().run()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def line(name: str, times: list[float], extra: str = "") -> str:
    """One printed result row."""
    return f"{name}: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms over {len(times)} steps{extra}"


def main() -> None:
    """Print the figures, with the machine's load (a busy machine stretches the max, not the median)."""
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    board_size(problem_for(*next(iter(SETTINGS.values()))), 0)  # warm-up
    for name, args in SETTINGS.items():
        times, size = time_grids(problem_for(*args))
        print(line(f"board  {name}", times, f", {size / 1024:.0f} KB HTML"))
    print(line("AppTest rerun (whole page, default 5×5 setting)", time_apptest()))


if __name__ == "__main__":
    main()
