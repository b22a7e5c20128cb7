"""The moving part of the step-through: step / back / scrubber / play, and the grids of the current step.

The grids live in an st.fragment, so a step (or a playback tick) reruns only this part of the page.
"""
from __future__ import annotations

import time

import streamlit as st

from playground.steps.inputs import fmt_number
from playground.steps.problem import Problem, Step, output, step
from playground.ui import bind
from playground.ui.conv_steps import svg
from playground.ui.conv_steps.controls import path, value
from playground.ui.state import STEPS_TICKED, button_key, tr, write

CHANNEL_NAMES = ("R", "G", "B")
EQ_STYLE = "font-size:1.4rem;line-height:1.4;font-variant-numeric:tabular-nums;"


def _pos() -> int:
    return int(value("pos"))


def _move(delta: int, count: int) -> None:
    """Button callback: move the position by delta, kept inside 1..count."""
    write(path("pos"), min(max(_pos() + delta, 1), count))


def _set_playing(playing: bool, count: int) -> None:
    """Play / pause callback; play from the end starts over."""
    write(path("playing"), playing)
    st.session_state[STEPS_TICKED] = time.monotonic()
    if playing and _pos() >= count:
        write(path("pos"), 1)


def stage(problem: Problem) -> None:
    """The stepping controls and grids, in a fragment that reruns itself on a timer while playing."""
    if problem.count < 2:  # nothing to play (a setting changed during playback)
        write(path("playing"), False)
    playing, speed = bool(value("playing")), float(value("speed"))
    interval = 1.0 / speed if playing else None
    st.fragment(run_every=interval)(_stage_body)(problem, playing, speed)


def _tick(count: int, interval: float) -> None:
    """Advance one step if a whole interval has passed (other reruns must not add steps)."""
    now = time.monotonic()
    if now - st.session_state.get(STEPS_TICKED, 0.0) < 0.8 * interval:
        return
    st.session_state[STEPS_TICKED] = now
    if _pos() >= count:
        write(path("playing"), False)
        st.rerun()  # a full rerun removes the timer
    write(path("pos"), _pos() + 1)


def _stage_body(problem: Problem, playing: bool, speed: float) -> None:
    """Buttons, scrubber, then the grids of the current step."""
    if (bool(value("playing")), float(value("speed"))) != (playing, speed):
        st.rerun()  # play / pause / speed change the timer: only a full rerun can
    count = problem.count
    write(path("pos"), min(max(_pos(), 1), count))
    if playing:
        _tick(count, 1.0 / speed)
    _buttons(count, playing)
    if count > 1:
        bind.control(path("pos"), st.slider, label=tr("steps.position"), min_value=1, max_value=count, disabled=playing,
                     label_visibility="collapsed")  # the bold line under it says the position in words
    current = step(problem, _pos() - 1)
    caption = tr("steps.position_caption", i=current.index + 1, n=count, r=current.row + 1, c=current.col + 1)
    st.markdown(f"**{caption}**")  # a bold line, not a heading: the board and its sum fit under Step at 1280×720
    draw_step(problem, current)


def _buttons(count: int, playing: bool) -> None:
    """Back, step, play / pause, start over and speed in one row."""
    pos = _pos()
    cols = st.columns([2, 2, 2, 2, 3], vertical_alignment="bottom")
    cols[0].button(tr("steps.back"), key=button_key("steps.back"), on_click=_move, args=(-1, count),
                   disabled=playing or pos <= 1, width="stretch")
    cols[1].button(tr("steps.forward"), key=button_key("steps.forward"), on_click=_move, args=(1, count),
                   type="primary", disabled=playing or pos >= count, width="stretch")
    if playing:
        cols[2].button(tr("steps.pause"), key=button_key("steps.pause"), on_click=_set_playing, args=(False, count),
                       width="stretch", icon=":material/pause:")  # the ⏸ glyph is missing from CJK fonts
    else:
        cols[2].button(tr("steps.play"), key=button_key("steps.play"), on_click=_set_playing, args=(True, count),
                       disabled=count < 2, width="stretch")
    cols[3].button(tr("steps.restart"), key=button_key("steps.restart"), on_click=_move, args=(-count, count),
                   disabled=playing, width="stretch")
    with cols[4]:
        bind.control(path("speed"), st.select_slider, label=tr("steps.speed"), options=(0.5, 1.0, 2.0, 4.0))


def draw_step(problem: Problem, current: Step) -> None:
    """The board of this step as one element, and a note on the last step."""
    st.markdown(board_html(problem, current), unsafe_allow_html=True)
    if current.index == problem.count - 1:
        st.success(tr("steps.finished"))


def board_html(problem: Problem, current: Step) -> str:
    """Input × kernel ↓ products per channel → output, the arithmetic underneath, as one HTML string."""
    done = output(problem, current.index)  # (C_out, H', W'), NaN after the current step
    channels, cell = problem.x.shape[0], svg.cell_size(problem)
    rows = [_channel_row(problem, current, c, CHANNEL_NAMES[c] if channels == 3 else None, cell)
            for c in range(channels)]
    outputs = []
    for o in range(done.shape[0]):
        title = (tr("steps.output_grid", h=done.shape[1], w=done.shape[2]) if done.shape[0] == 1
                 else tr("steps.output_channel", ch=CHANNEL_NAMES[o]))
        outputs.append(svg.panel(f"out{o}", title, svg.output_svg(done[o], current, cell)))
    equation = "<br>".join(equation_lines(problem, current))
    return f"{svg.board(rows, outputs)}<div class='steps-equation' style='{EQ_STYLE}'>{equation}</div>"


def _channel_row(problem: Problem, current: Step, c: int, name: str | None, cell: int) -> list[str]:
    """The panels of one input channel: input × (kernel ↓ products) for conv, or input → window (pooling)."""
    plain = tr("polish.steps.input_plain") if problem.padding == 0 else tr("steps.input_grid")  # no grey to explain
    title = tr("steps.input_channel", ch=name) if name else plain
    row = [svg.panel(f"input{c}", title, svg.input_svg(problem, current, c, cell))]
    if problem.op == "conv":
        k_title = tr("steps.more.kernel_slice", ch=name) if name else tr("steps.kernel_grid")
        p_title = (f"{tr('steps.products_channel', ch=name)} · Σ = {fmt_number(current.channel_values[c])}" if name
                   else tr("steps.products_grid"))  # three channels: each slice's sum next to its products
        inside = svg.window_inside(problem, current)
        if name is None:  # one channel: input × kernel = products in one row, low enough for a projector's screen
            kernel = svg.panel("kernel0", k_title, svg.kernel_svg(problem.weight[c], cell))
            products = svg.panel("products0", p_title, svg.window_svg(current.products[c], cell, inside))
            return row + [svg.operator("×"), kernel, svg.operator("="), products]
        kernel = svg.panel(f"kernel{c}", k_title, svg.kernel_svg(problem.weight[c], cell), stacked=True)
        products = svg.panel(f"products{c}", p_title, svg.window_svg(current.products[c], cell, inside), stacked=True)
        return row + [svg.operator("×"), svg.stack(kernel, "↓", products)]
    title = tr("steps.window_channel", ch=name) if name else tr("steps.window_grid")
    chosen = svg.chosen_in_window(current, c)
    window = svg.window_svg(current.values[c], cell, svg.window_inside(problem, current), chosen)
    return row + [svg.operator("→"), svg.panel(f"window{c}", title, window)]


def _n(v: float) -> str:
    """A number for an equation; negatives in brackets when they follow an operator."""
    text = fmt_number(v)
    return f"({text})" if text.startswith("−") else text


def equation_lines(problem: Problem, cur: Step) -> list[str]:
    """The arithmetic of this step, one line each (numbers only: catalogue templates add the words)."""
    channels = problem.x.shape[0]
    count = problem.kernel ** 2
    if problem.op == "maxpool":
        if channels == 1:
            return [tr("steps.max_single", value=fmt_number(cur.results[0]))]
        return [tr("steps.max_line", ch=CHANNEL_NAMES[c], value=fmt_number(v)) for c, v in enumerate(cur.results)]
    if problem.op == "avgpool":
        if channels == 1:
            terms = " + ".join(_n(v) for v in cur.values[0].flat)
            return [tr("steps.expanded", terms=terms, sum=fmt_number(cur.channel_values[0])),
                    tr("steps.avg_single", sum=_n(cur.channel_values[0]), count=count, value=fmt_number(cur.results[0]))]
        return [tr("steps.avg_line", ch=CHANNEL_NAMES[c], sum=fmt_number(s), count=count, value=fmt_number(v))
                for c, (s, v) in enumerate(zip(cur.channel_values, cur.results, strict=False))]
    lines = []
    if channels == 1:
        if count <= 9:
            terms = " + ".join(f"{_n(a)}×{_n(b)}" for a, b in zip(cur.values[0].flat, problem.weight[0].flat, strict=False))
            lines.append(tr("steps.expanded", terms=terms, sum=fmt_number(cur.total)))
        else:
            lines.append(tr("steps.sum_line", sum=fmt_number(cur.total)))
    else:
        lines += [tr("steps.channel_sum", ch=CHANNEL_NAMES[c], sum=fmt_number(s)) for c, s in enumerate(cur.channel_values)]
        lines.append(tr("steps.channels_total", parts=" + ".join(_n(s) for s in cur.channel_values), total=fmt_number(cur.total)))
    bias = tr("steps.bias_line", total=fmt_number(cur.total), bias=fmt_number(problem.bias), result=fmt_number(cur.results[0]))
    lines.append(f"<b>{bias}</b>")
    return lines
