"""Convolution step-by-step questions, on the page's current Problem (or a seeded practice one).

ctx: problem = the page's playground.steps.problem.Problem, step = the 0-based index of the step shown now.
The answers come from the step-through's own code (step / window) and playground.layers.shapes.out_size;
the tests check them against torch.nn.functional.
"""
from __future__ import annotations

from dataclasses import replace
from numbers import Integral

import numpy as np

from playground.errors import Message, SpecError
from playground.exercises.answers import Cells, Decimal, Integer, Integers, rectangle, spans
from playground.exercises.common import keep, num, pick, rng_for, signed, size_line, size_slips
from playground.exercises.model import ExerciseError, Question
from playground.layers.shapes import out_size
from playground.spec import PipelineSpec
from playground.steps.inputs import random_grid, random_kernel
from playground.steps.problem import OPS, Problem, make_problem, real_mask, step, window

CHANNEL_NAMES = ("R", "G", "B")
H = "exercises.hints."


def practice_problem(rng: np.random.Generator) -> Problem:
    """A seeded small one-channel problem: 4..6 cells a side, a 2×2 or 3×3 window, sometimes stride / padding / dilation."""
    for _ in range(50):
        op, n, k, s, p = pick(rng, OPS), int(rng.integers(4, 7)), pick(rng, (2, 3)), pick(rng, (1, 1, 2)), pick(rng, (0, 0, 1))
        seed = int(rng.integers(0, 10000))
        try:
            if op == "conv":
                return make_problem(op, random_grid(n, 1, seed), random_kernel(k, 1, seed), bias=pick(rng, (0.0, 0.0, 1.0, -2.0)),
                                    stride=s, padding=p, dilation=pick(rng, (1, 1, 2)))
            return make_problem(op, random_grid(n, 1, seed), kernel=k, stride=s, padding=p)
        except SpecError:
            continue
    return make_problem("conv", random_grid(5, 1, 0), random_kernel(3, 1, 0))


def _problem(ctx: dict, rng, variant: bool) -> tuple[Problem, int | None, bool]:
    """(problem, current step or None, variant): the page's problem, or a practice one."""
    problem = ctx.get("problem")
    if variant or problem is None:
        return practice_problem(rng), None, True
    if not isinstance(problem, Problem):
        raise ExerciseError("exercises.errors.problem")
    current = ctx.get("step")
    if current is not None and (isinstance(current, bool) or not isinstance(current, Integral)
                                or not 0 <= current < problem.count):
        raise ExerciseError("exercises.errors.step", value=str(current)[:20], count=problem.count)
    return problem, None if current is None else int(current), False


def _given(problem: Problem) -> Message:
    c, h, w = problem.x.shape
    key = "exercises.steps.given_conv" if problem.op == "conv" else "exercises.steps.given_pool"
    return Message(key, {"op": Message(f"steps.ops.{problem.op}"), "h": h, "w": w, "c": c, "k": problem.kernel,
                         "s": problem.stride, "p": problem.padding, "d": problem.dilation, "bias": num(problem.bias)})


def _value_at(problem: Problem, row: int, col: int, ch: int) -> float | None:
    """Output (row, col, channel) of a (possibly altered) problem, None where it has no such cell."""
    oh, ow = problem.out_shape
    if not (0 <= row < oh and 0 <= col < ow):
        return None
    return step(problem, row * ow + col).results[ch]


def _value_mistakes(pr: Problem, st, ch: int, current: int | None) -> list:
    k2, inside = pr.kernel ** 2, real_mask(pr)[np.ix_(st.rows, st.cols)]
    out = []
    if pr.op == "conv":
        out += [("forgot_bias", st.total, Message(H + "value_bias", {"bias": num(pr.bias)})),
                ("one_channel", st.channel_values[0] + pr.bias if len(st.channel_values) > 1 else None,
                 Message(H + "value_channels", {"c": len(st.channel_values)}))]
    elif len(st.results) > 1:
        out.append(("summed_channels", sum(st.results), Message(H + "value_pool_channels")))
    if pr.op == "avgpool":
        out += [("no_divide", st.channel_values[ch], Message(H + "value_avg_divide", {"count": k2})),
                ("real_cells", st.channel_values[ch] / inside.sum() if not inside.all() else None,
                 Message(H + "value_avg_padding", {"count": k2}))]
    if pr.op == "maxpool":
        out += [("padding_won", max(st.results[ch], 0.0) if not inside.all() else None, Message(H + "value_max_padding")),
                ("summed", float(st.values[ch][inside].sum()), Message(H + "value_max_sum"))]
    if pr.op == "avgpool":
        out.append(("took_max", float(st.values[ch][inside].max()), Message(H + "value_avg_max")))
    for field, value, key in (("padding", 0, "value_padding"), ("dilation", 1, "value_dilation"), ("stride", 1, "value_stride")):
        if getattr(pr, field) != value:
            out.append((f"forgot_{field}", _value_at(replace(pr, **{field: value}), st.row, st.col, ch),
                        Message(H + key, {"p": pr.padding, "d": pr.dilation, "s": pr.stride})))
    if current is not None and current != st.index:
        out.append(("current_cell", step(pr, current).results[ch], Message(H + "value_current")))
    return out


def _terms(values: np.ndarray, weights: np.ndarray | None = None) -> str:
    """'3×1 + 0×(−1) + …' for products, '3 + 0 + …' for plain values (row by row)."""
    if weights is None:
        return " + ".join(signed(v) for v in values.ravel())
    return " + ".join(f"{signed(v)}×{signed(w)}" for v, w in zip(values.ravel(), weights.ravel(), strict=True))


def _value_working(pr: Problem, st, ch: int) -> tuple[Message, ...]:
    v = "exercises.steps.value."
    lines = [Message(v + "work_window", {"r": st.row + 1, "c": st.col + 1, "rows": spans([r + 1 for r in st.rows]),
                                         "cols": spans([c + 1 for c in st.cols])})]
    value = num(st.results[ch])
    if pr.op == "conv":
        many = len(st.channel_values) > 1
        for c, total in enumerate(st.channel_values):
            lines.append(Message(v + ("work_sum_channel" if many else "work_sum"),
                                 {"ch": CHANNEL_NAMES[c], "terms": _terms(st.values[c], pr.weight[c]), "sum": num(total)}))
        if many:
            terms = " + ".join(signed(x) for x in st.channel_values)
            lines.append(Message(v + "work_channels", {"terms": terms, "sum": num(st.total)}))
        lines.append(Message(v + "work_bias", {"sum": num(st.total), "bias": signed(pr.bias), "value": value}))
    elif pr.op == "maxpool":
        inside = real_mask(pr)[np.ix_(st.rows, st.cols)]
        lines.append(Message(v + "work_max", {"values": ", ".join(num(x) for x in st.values[ch][inside]), "value": value}))
    else:
        lines.append(Message(v + "work_avg", {"terms": _terms(st.values[ch]), "sum": num(st.channel_values[ch]),
                                              "count": pr.kernel ** 2, "value": value}))
    return tuple(lines)


def next_value(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """The number the next step writes into the output grid."""
    rng = rng_for("steps.next_value", seed)
    pr, current, variant = _problem(ctx, rng, variant)
    follows = current is not None and current + 1 < pr.count
    target = current + 1 if follows else int(rng.integers(pr.count))
    ch = int(rng.integers(pr.out_channels))
    st = step(pr, target)
    answer = Decimal(st.results[ch], tol=0.01, example="12")
    form = ("prompt" if follows else "prompt_at") + ("_channel" if pr.out_channels > 1 else "")
    prompt = Message(f"exercises.steps.value.{form}",  # "comes next" only when it is the step after the board's
                     {"t": target + 1, "r": st.row + 1, "c": st.col + 1, "ch": CHANNEL_NAMES[ch]})
    return Question("steps.next_value", "steps", seed, prompt, answer, _value_working(pr, st, ch),
                    keep(answer, _value_mistakes(pr, st, ch, current)), Message(H + "value_generic"), (_given(pr),),
                    {"problem": pr, "step": target, "channel": ch}, variant)


def _size_answer(h: int, w: int, k: int, s: int, p: int, d: int):
    """The answer (one side for a square input, H′×W′ otherwise) and its kept mistakes."""
    oh, ow = out_size(h, k, s, p, d), out_size(w, k, s, p, d)
    answer = Integer(oh, square=True, example="4") if h == w else Integers((oh, ow), "H′×W′", "4×6")
    rows = []
    for (mid, vh, params), (_, vw, _) in zip(size_slips(h, k, s, p, d), size_slips(w, k, s, p, d), strict=True):
        value = None if vh is None or vw is None else vh if h == w else (vh, vw)
        rows.append((mid, value, Message(H + f"size_{mid}", params)))
    return answer, keep(answer, rows)


def output_size(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """The output grid's size for the current n, k, s, p, d."""
    pr, _, variant = _problem(ctx, rng_for("steps.out_size", seed), variant)
    _, h, w = pr.x.shape
    geo = (pr.kernel, pr.stride, pr.padding, pr.dilation)
    answer, mistakes = _size_answer(h, w, *geo)
    z = "exercises.steps.size."
    working = [Message("exercises.size.work_formula")]
    working += ([size_line("exercises.size.work_side", h, *geo)] if h == w
                else [size_line("exercises.size.work_height", h, *geo), size_line("exercises.size.work_width", w, *geo)])
    return Question("steps.out_size", "steps", seed, Message(z + "prompt"), answer, tuple(working), mistakes,
                    Message(H + "size_generic"), (_given(pr),), {"problem": pr}, variant)


def _taps(pr: Problem, t: int, d: int | None = None, s: int | None = None) -> tuple[list[int], list[int]]:
    """Padded-grid rows and columns (0-based) the window samples at step t; a dilation / stride given replaces the real one."""
    row, col = divmod(t, pr.out_shape[1])
    if d is None and s is None:
        return tuple([int(v) for v in a] for a in window(pr, row, col))  # the step-through's own rule
    d, s = pr.dilation if d is None else d, pr.stride if s is None else s
    return [row * s + d * i for i in range(pr.kernel)], [col * s + d * i for i in range(pr.kernel)]


def _cells(pr: Problem, rows, cols, clip: bool = True) -> frozenset[tuple[int, int]]:
    """Input cells (1-based, padding taken off) of padded taps; clip drops the taps on the padding border."""
    _, h, w = pr.x.shape
    rr, cc = [r - pr.padding + 1 for r in rows], [c - pr.padding + 1 for c in cols]
    if clip:
        rr, cc = [r for r in rr if 1 <= r <= h], [c for c in cc if 1 <= c <= w]
    return frozenset((r, c) for r in rr for c in cc)


def _cells_mistakes(pr: Problem, t: int, cells: frozenset) -> list:
    rows, cols = _taps(pr, t)
    on_pad = _cells(pr, rows, cols, clip=False)
    out = [("forgot_dilation", _cells(pr, *_taps(pr, t, d=1)) if pr.dilation > 1 else None, {"d": pr.dilation}),
           ("forgot_stride", _cells(pr, *_taps(pr, t, s=1)) if pr.stride > 1 else None, {"s": pr.stride}),
           ("padded_coords", frozenset((r + 1, c + 1) for r in rows for c in cols) if pr.padding else None, {"p": pr.padding}),
           ("padding_cells", on_pad if on_pad != cells else None, {}),
           ("zero_based", frozenset((r - 1, c - 1) for r, c in cells), {}),
           ("swapped", frozenset((c, r) for r, c in cells), {})]
    out += [("other_step", _cells(pr, *_taps(pr, u)), {"t": t + 1}) for u in (t + 1, t - 1) if 0 <= u < pr.count]
    return [(mid, value, Message(H + f"cells_{mid}", params)) for mid, value, params in out]


def window_cells(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """Which input cells the window covers at step t (the current step, or a seeded one)."""
    rng = rng_for("steps.window", seed)
    pr, current, variant = _problem(ctx, rng, variant)
    start = current if current is not None else int(rng.integers(pr.count))
    # the first step from there on whose window touches a real input cell (with wide padding some touch none)
    t = next((u % pr.count for u in range(start, start + pr.count) if _cells(pr, *_taps(pr, u % pr.count))), start)
    rows, cols = _taps(pr, t)
    cells = _cells(pr, rows, cols)
    answer = Cells(cells)
    r, c = divmod(t, pr.out_shape[1])
    z = "exercises.steps.cells."
    working = [Message(z + "work_position", {"t": t + 1, "ow": pr.out_shape[1], "r": r + 1, "c": c + 1}),
               Message(z + "work_start", {"r": r + 1, "c": c + 1, "s": pr.stride, "r0": rows[0] + 1, "c0": cols[0] + 1}),
               Message(z + "work_taps", {"k": pr.kernel, "d": pr.dilation, "rows": spans([x + 1 for x in rows]),
                                         "cols": spans([x + 1 for x in cols])})]
    if pr.padding:
        working.append(Message(z + "work_unpad", {"p": pr.padding, **rectangle(cells)}))
    working.append(Message(z + "work_cells", rectangle(cells)))
    return Question("steps.window", "steps", seed, Message(z + "prompt", {"t": t + 1}), answer, tuple(working),
                    keep(answer, _cells_mistakes(pr, t, cells)), Message(H + "cells_generic"), (_given(pr),),
                    {"problem": pr, "step": t, "cells": tuple(sorted(cells))}, variant)
