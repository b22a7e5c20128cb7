"""The class's answers as an anonymous histogram (plotly), with its text alternative; after the reveal the right
bar is marked, and a student's own bar too."""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from playground.classroom.lessonlink import Tally, tally
from playground.describe import count_facts
from playground.lessons import say
from playground.ui.lessonclass.shared import stored_is_right
from playground.ui.state import lang, tr
from playground.ui.theme import fonts

PLAIN, RIGHT, OWN = "#7a8ba6", "#1a7f37", "#0b5cad"


def tally_of(prediction, values: tuple[str, ...]) -> Tally:
    """Count the answers; a choice counts every option, in the order offered."""
    return tally(values, tuple(o.id for o in prediction.choices))


def bar_names(prediction, counted: Tally) -> list[str]:
    """The bars' names in the page's language: an option's label, a number as typed, a shape as 8×8."""
    labels = {o.id: say(o.label, lang()) for o in prediction.choices}
    return [labels.get(label, label.replace(",", "×").replace(" to ", " – ")) for label in counted.labels]


def show(key: str, prediction, values: tuple[str, ...], right: str | None = None, own: str | None = None,
         height: int = 320) -> None:
    """The histogram of values (as stored); right (after the reveal) and own mark their bars."""
    counted = tally_of(prediction, values)
    st.markdown(tr("lessonclass.answers_count", n=counted.total))
    if not counted.labels:
        st.caption(tr("lessonclass.no_answers"))
        return
    names = bar_names(prediction, counted)
    right_bars, own_bar = right_bars_of(prediction, counted, right), counted.bar_of(own)
    colours = [RIGHT if i in right_bars else OWN if i == own_bar else PLAIN for i in range(len(names))]
    text = [str(c) + (f" · {tr('lessonclass.right_mark')}" if i in right_bars else "")
            + (f" · {tr('lessonclass.own_mark')}" if i == own_bar else "") for i, c in enumerate(counted.counts)]
    fig = go.Figure(go.Bar(x=names, y=list(counted.counts), marker_color=colours, text=text, textposition="outside",
                           hoverinfo="skip"))
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
                      yaxis=dict(title=tr("lessonclass.axis_students"), rangemode="tozero", dtick=1 if max(
                          counted.counts) <= 10 else None), xaxis=dict(type="category"))
    st.plotly_chart(fonts(fig), key=key, width="stretch", config={"displayModeBar": False}, alt=alt_text(names, counted))


def right_bars_of(prediction, counted: Tally, right: str | None) -> set[int]:
    """The bars of right answers once revealed: each answer the lesson accepts (a number within its tolerance),
    or, when numbers are binned, the bin holding the answer."""
    if right is None:
        return set()
    if counted.binned:
        return {counted.bar_of(right)} - {None}
    return {i for i, label in enumerate(counted.labels) if stored_is_right(prediction, label)}


def alt_text(names: list[str], counted: Tally) -> str:
    """'12 answers in 4 bars; the most: 3 (5 students)'."""
    facts = count_facts(names, counted.counts)
    if facts is None:
        return tr("lessonclass.no_answers")
    return tr("lessonclass.hist_alt", total=facts.total, bars=facts.bars, top=facts.top, top_count=facts.top_count)
