"""AppTest: the Training lab trains on the MNIST digits, offline, and reads them by their digit."""
from __future__ import annotations

import pytest
import streamlit as st
from test_training_page import open_page, run_until, texts

from playground.i18n import t


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_mnist_is_offered_and_trains(lang):
    at = open_page(lang, query={"train.size": "16", "train.epochs": "1"})
    radio = at.radio(key="w.train.dataset")
    assert t("train.datasets.mnist", lang) in radio.options
    radio.set_value("mnist").run()
    assert not at.exception and at.session_state["spec"].train.dataset == "mnist"
    at.button(key="b.train.start").click().run()
    at = run_until(at, lambda a: a.success, "the run's Finished message", seconds=120)
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at, "success")
    cm = next(c for c in at.get("plotly_chart") if '"z"' in c.proto.spec)
    assert all(f'"{d}"' in cm.proto.spec for d in "0123456789")  # the classes are the digits themselves
