"""The step-through setting a scene starts from (view values "steps.*") and the Problem it makes.

The lesson page and the lesson's predictions build the problem with this one function, so the
question is about exactly the grid the scene shows.
"""
from __future__ import annotations

from typing import Any

from playground.errors import SpecError
from playground.limits import LIMITS
from playground.steps.inputs import preset_kernel, random_grid, random_kernel
from playground.steps.problem import OPS, Problem, make_problem

KERNEL_SOURCES = ("preset", "random")
STEP_VIEW: dict[str, Any] = {  # name -> default; the same names as the step-through's view settings
    "op": "conv", "multi": False, "size": int(LIMITS["steps.size"].default), "seed": 0,
    "k_src": "preset", "preset": "sobel_x", "preset_k": 3, "kernel": 3,
    "bias": 0.0, "stride": 1, "padding": 0, "dilation": 1,
}


def steps_problem(values: dict[str, Any]) -> Problem:
    """The step-through Problem of these view values (defaults for the rest); SpecError for a bad setting."""
    v = {**STEP_VIEW, **{k: values[k] for k in values if k in STEP_VIEW}}
    if v["op"] not in OPS:
        raise SpecError("steps.errors.bad_op", op=str(v["op"])[:20])
    if v["k_src"] not in KERNEL_SOURCES:
        raise SpecError("lesson.errors.kernel_source", value=str(v["k_src"])[:20])
    lim = LIMITS["steps.size"]
    size = v["size"]
    if isinstance(size, bool) or not isinstance(size, int) or not lim.min <= size <= lim.max:
        raise SpecError("steps.range.size", value=size, min=lim.min, max=lim.max)
    channels = 3 if v["multi"] else 1
    x = random_grid(size, channels, int(v["seed"]))
    if v["op"] != "conv":
        return make_problem(v["op"], x, kernel=v["kernel"], stride=v["stride"], padding=v["padding"])
    weight = (preset_kernel(v["preset"], v["preset_k"], channels) if v["k_src"] == "preset"
              else random_kernel(v["kernel"], channels, int(v["seed"])))
    return make_problem("conv", x, weight, bias=float(v["bias"]), stride=v["stride"], padding=v["padding"],
                        dilation=v["dilation"])
