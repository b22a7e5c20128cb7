"""What "Check yourself" costs the server: making a question, checking an answer, and a Check press per lab.

Figures:
- make / check: one question from the registry for a lab's default settings, and one checked answer,
  against the baseline of one shapes.validate of the Layer lab's default stack (measured in the same run);
- AppTest: pressing Check reruns the WHOLE page in AppTest (in the browser only the panel's fragment reruns),
  against a plain rerun of the same page: the ratio is what a check adds on top of a page run.
Run: python bench/bench_exercises.py
"""
from __future__ import annotations

import statistics
import time

from playground.exercises.checker import check
from playground.exercises.registry import EXERCISES, make
from playground.layers.shapes import validate
from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.spec import PipelineSpec
from playground.steps.inputs import random_grid, random_kernel
from playground.steps.problem import make_problem
from testkit.apptest import open_app
from testkit.exercises import right_text, wrong_text

SPEC = PipelineSpec().set("net.layers", READY_STACKS[DEFAULT_STACK])
IN_SHAPE = (3, 171, 256)
CTX = {"steps": {"problem": make_problem("conv", random_grid(5, 1, 0), random_kernel(3, 1, 0)), "step": 0},
       "layers": {"in_shape": IN_SHAPE}}
PAGES = {"image": "pages/image_lab.py", "steps": "pages/conv_steps.py", "layers": "pages/layer_lab.py",
         "training": "pages/training.py"}


def per_call(fn, n: int = 200) -> float:
    """Median seconds of fn over n calls (in 5 batches)."""
    batches = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n // 5):
            fn()
        batches.append((time.perf_counter() - t0) / (n // 5))
    return statistics.median(batches)


def core() -> None:
    base = per_call(lambda: validate(SPEC.net, IN_SHAPE))
    print(f"baseline: validate(default stack) {base * 1e3:.3f} ms")
    for e in EXERCISES:
        ctx = CTX.get(e.split(".")[0], {})
        q = make(e, SPEC, 1, **ctx)
        t_make = per_call(lambda e=e, ctx=ctx: make(e, SPEC, 1, **ctx))
        t_check = per_call(lambda q=q: check(q, wrong_text(q), 1))
        print(f"{e:26s} make {t_make * 1e3:6.3f} ms ({t_make / base:5.1f}×)  check {t_check * 1e3:6.3f} ms"
              f" ({t_check / base:5.1f}×)")


def page_runs(lab: str, n: int = 5) -> tuple[float, float]:
    """(median plain rerun, median rerun with a Check press) of one lab in AppTest."""
    at = open_app(PAGES[lab] if lab != "image" else None, timeout=120)
    plain, checked = [], []
    for i in range(n):
        t0 = time.perf_counter()
        at.run()
        plain.append(time.perf_counter() - t0)
        q = at.session_state["ex.shown"][lab][1]
        text = wrong_text(q) if i % 2 else right_text(q)
        if q.answer.__class__.__name__ == "Choice":
            at.radio(key=f"w.ex.choice.{lab}").set_value(text)
        else:
            at.text_input(key=f"w.ex.answer.{lab}").input(text)
        at.button(key=f"b.ex.check.{lab}").click()
        t0 = time.perf_counter()
        at.run()
        checked.append(time.perf_counter() - t0)
    return statistics.median(plain), statistics.median(checked)


if __name__ == "__main__":
    core()
    for lab in PAGES:
        plain, checked = page_runs(lab)
        print(f"AppTest {lab:9s} rerun {plain * 1e3:7.1f} ms, with Check {checked * 1e3:7.1f} ms ({checked / plain:4.2f}×)")
