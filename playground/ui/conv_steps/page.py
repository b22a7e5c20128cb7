"""Convolution step by step: a small window slides over a grid, multiplies, adds and fills the output."""
from __future__ import annotations

import streamlit as st

from playground.errors import SpecError
from playground.steps.problem import make_problem
from playground.ui import explain, messages
from playground.ui.conv_steps import controls
from playground.ui.conv_steps.stage import stage
from playground.ui.exercises import panel as exercises
from playground.ui.state import last_valid, tr


def _attempt(build):
    """Run one control group; a SpecError is kept (shown later) so the other controls still draw."""
    try:
        return build(), None
    except SpecError as exc:
        return None, exc


def settings():
    """Draw every control; returns (problem or None, first error or None)."""
    op, channels = controls.op_and_channels()
    left, middle, right = st.columns(3)
    with left:
        x, err_x = _attempt(lambda: controls.input_controls(channels, op))
    with middle:
        kernel, err_k = _attempt(lambda: controls.kernel_controls(op, channels))
        weight, k = kernel if kernel is not None else (None, None)
    with right:
        bias, stride, padding, dilation = controls.geometry_controls(op)
    error = err_x or err_k
    if error is None:
        formula(x.shape[1], x.shape[2], k, stride, padding, dilation)
        problem, error = _attempt(lambda: make_problem(op, x, weight, k, bias, stride, padding, dilation))
        return problem, error
    return None, error


def formula(h, w, k, s, p, d):
    """The output-size rule with this setting's numbers."""
    st.markdown(f"**{tr('steps.formula_title')}** · {tr('steps.formula_general')}")
    for line in controls.formula_lines(h, w, k, s, p, d):
        st.markdown(f"#### {line}")


def main():
    """Settings on top, the stepping grids below; an invalid setting keeps the last good drawing."""
    st.title(tr("steps.title"))
    st.caption(tr("steps.intro"))
    explain.why("kernel", "stride", "padding", "pooling")
    st.subheader(tr("steps.step_setup"))
    problem, error = settings()
    if error is not None:
        st.error(messages.error_text(error))
        problem = last_valid("steps")
        if problem is not None:
            st.caption(tr("steps.kept_last"))
    else:
        last_valid("steps", problem)
    exercises.panel("steps", problem=problem, step=lambda: problem and min(int(controls.value("pos")), problem.count) - 1)
    if problem is None:
        return
    st.subheader(tr("steps.step_watch"))
    stage(problem)
