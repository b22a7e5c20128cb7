"""AppTest: the Layer lab's "how many parameters" question is not answered by the shape table right above it.

Until the student checks an answer, the table's parameter cells and its totals line show no parameter count
(counted by torch for the page's own stack); once checked, the counts are back. A practice question is about
another setting, so the table keeps its numbers.
"""
from __future__ import annotations

import pytest
import streamlit as st
import torch

from playground.i18n import t
from testkit.apptest import open_app
from testkit.markdown import tables

PAGE = "pages/layer_lab.py"


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def torch_counts(at) -> dict[int, int]:
    """Layer number -> parameters of each conv layer of the page's stack, counted by torch's own Conv2d."""
    channels = at.session_state["last_valid"]["layers.main"].in_shape[0]
    counts = {}
    for i, layer in enumerate(at.session_state["spec"].net.layers, start=1):
        if layer.kind == "conv":
            conv = torch.nn.Conv2d(channels, layer.out_channels, layer.kernel, dilation=layer.dilation, bias=layer.bias)
            counts[i] = sum(p.numel() for p in conv.parameters())
            channels = layer.out_channels
    return counts


def param_cells(at) -> list[str]:
    """The parameter column of the shape table."""
    header = t("layers.table.params", "en")
    table = next(rows for rows in tables(m.value for m in at.main.markdown) if rows and header in rows[0])
    return [row[header] for row in table]


def shown_numbers(at) -> str:
    """The parameter column of the shape table and every caption of the page, as one text."""
    return " | ".join(param_cells(at) + [c.value for c in at.main.caption])


def check(at, text: str):
    at.text_input(key="w.ex.answer.layers").input(text)
    at.button(key="b.ex.check.layers").click()
    at.run()
    assert not at.exception, at.exception


def test_the_parameter_counts_are_hidden_until_the_answer_is_checked():
    at = open_app(PAGE, timeout=120, query={"ex": "layers.params"})
    assert not at.exception, at.exception
    counts = torch_counts(at)
    question = at.session_state["ex.shown"]["layers"][1]
    assert question.id == "layers.params" and len(counts) >= 2
    asked = counts[question.prompt.params["i"]]
    visible = shown_numbers(at)
    assert str(asked) not in visible and str(sum(counts.values())) not in visible, visible
    assert set(param_cells(at)) == {t("exercises.hidden.cell", "en")}

    check(at, str(asked + 7))  # a first wrong answer reveals nothing (the working comes with the second)
    assert str(asked) not in shown_numbers(at)

    check(at, str(asked))
    visible = shown_numbers(at)
    assert all(str(n) in visible for n in counts.values()), visible


def test_a_practice_question_keeps_the_table_whole():
    at = open_app(PAGE, timeout=120, query={"ex": "layers.params", "ex_practice": "1"})
    assert not at.exception, at.exception
    visible = shown_numbers(at)
    assert all(str(n) in visible for n in torch_counts(at).values()), visible
