"""AppTest, Training lab: the hint's button, the log axis, results once per run,
the estimate before Start, buttons under a teacher's lock, JSON reasons in Chinese, trained weights in the Layer lab."""
from __future__ import annotations

import dataclasses
import json

import pytest
import streamlit as st

from playground.classroom.lessons import LESSONS
from playground.i18n import t
from playground.limits import LR_STEPS
from playground.spec import PipelineSpec
from playground.training import budget
from playground.training import results as R
from playground.ui.sidebar.classroom import IMPORT
from testkit.apptest import open_app
from testkit.markdown import shown
from testkit.wait import wait_until

TRAINING = "pages/training.py"
TINY = {"train.size": "8", "train.epochs": "2"}


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run_until(at, done, seconds: float = 120):
    """Rerun (as the fragment's timer would) until done(at); fails if that never comes."""
    wait_until(lambda: done(at.run()), seconds, "the run's end", poll=0.3)
    return at


def started(query: dict, lang: str = "en"):
    at = open_app(TRAINING, lang=lang, timeout=120, query=query)
    at.button(key="b.train.start").click().run()
    return run_until(at, lambda a: a.header)  # the results header: the run has ended


def lesson_6(extra: dict | None = None):
    return started({**LESSONS["high_lr"].spec().to_query(), **(extra or {})})


def test_lesson_6_hint_names_a_slider_value_and_its_button_sets_it():
    at = lesson_6()
    assert not at.exception
    box = shown(at.error[0].value)
    assert t("train.hint.lower", "en", new="0.03", lr="0.3") in box
    assert t("train.advice.log_note", "en", top="", first="")[:18] in " ".join(shown(c.value) for c in at.caption)
    loss = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert loss["layout"]["yaxis"]["type"] == "log"
    apply = at.button(key="b.train.apply_lr")
    assert apply.label == t("train.advice.apply", "en", lr="0.03") and not apply.disabled
    apply.click().run()
    slider = at.select_slider(key="w.train.lr")
    assert at.session_state["spec"].train.lr == 0.03 and slider.value == 0.03
    assert slider.options == [f"{v:g}" for v in LR_STEPS], "0.03 is one of the slider's own stops"


def test_the_hint_button_respects_the_teachers_lock():
    at = lesson_6({"lock": "train.lr"})
    apply = at.button(key="b.train.apply_lr")
    assert apply.disabled and t("train.advice.locked", "en") in [c.value for c in at.caption]
    assert at.session_state["spec"].train.lr == 0.3


def test_results_are_computed_once_per_run_not_per_rerun(monkeypatch):
    at = started(TINY)
    calls = []
    real = R.predict
    monkeypatch.setattr(R, "predict", lambda model, x: calls.append(len(x)) or real(model, x))
    for _ in range(3):
        at.run()
    assert not at.exception and at.header and calls == []
    # the confusion matrix is still drawn, from the predictions made once when the run ended
    assert any('"type":"heatmap"' in c.proto.spec.replace(" ", "") for c in at.get("plotly_chart"))


def test_the_estimated_time_is_shown_before_start(monkeypatch):
    """The page shows the estimate times the measured factor: 12.4 s × 2 (this server ran twice as slow) = 25 s."""
    real = budget.train_estimate
    monkeypatch.setattr(budget, "train_estimate", lambda *a: dataclasses.replace(real(*a), run_s=12.4))
    meter = budget.RateMeter()
    for _ in range(3):
        meter.record(measured_s=20.0, estimated_s=10.0, steps=meter.MIN_STEPS)
    monkeypatch.setattr(budget, "RATES", meter)
    at = open_app(TRAINING, query=TINY)
    assert t("budget.estimate_seconds", "en", seconds=25) in [c.value for c in at.caption]
    assert at.button(key="b.train.start").disabled is False


def test_a_run_over_the_budget_is_refused_before_start():
    heavy = json.dumps([{"kind": "conv", "out_channels": 64, "kernel": 11, "same": True}] * 4)
    at = open_app(TRAINING, query={"net.layers": heavy, "train.batch": "256", "train.size": "32"})
    assert at.button(key="b.train.start").disabled is True
    assert any("Conv2d" in e.value for e in at.error)


@pytest.mark.parametrize("link", ["lock", "hide"])
def test_use_the_default_stack_is_disabled_when_the_stack_is_fixed(link):
    bad = '[{"kind":"conv","kernel":11}]'
    at = open_app(TRAINING, query={"train.size": "8", "net.layers": bad, link: "net.layers"})
    assert at.button(key="b.train.use_default").disabled
    assert at.session_state["spec"].net.layers == PipelineSpec.from_query({"net.layers": bad}).net.layers


def test_json_import_reason_is_in_chinese():
    at = open_app(lang="zh")
    at.file_uploader(key=IMPORT).set_value(("s.json", b'{"augment": {"angle": 10,}}', "application/json")).run()
    text = shown(at.error[-1].value)
    assert "Expecting" not in text and "第 1 行" in text and "名称" in text


def test_trained_on_digits_then_a_colour_picture_in_the_layer_lab_says_what_to_change():
    at = open_app(TRAINING, timeout=120, query={"image.sample": "china", **TINY})  # trained before the Layer lab
    at.button(key="b.train.start").click().run()
    run_until(at, lambda a: a.header)
    at.switch_page("pages/layer_lab.py").run()  # the same default stack as trained; the picture is RGB
    assert t("trained_view.grey_run", "en") in [i.value for i in at.info]
    at.slider(key="w.net.layers.0.kernel").set_value(5).run()  # now the stack differs from the trained one
    assert any(i.value.startswith(t("trained_view.stack", "en", layers=6)[:30]) for i in at.info)
    at.button(key="b.layers.trained_fix").click().run()  # loads the trained stack back
    assert at.session_state["spec"].net.layers[0].kernel == 3
    assert t("trained_view.grey_run", "en") in [i.value for i in at.info]
    at.button(key="b.layers.trained_fix").click().run()  # grey, like the digits
    assert at.session_state["spec"].image.grayscale is True
    at.toggle(key="w.view.layers.trained").set_value(True).run()
    assert not at.exception and any(i.value.startswith("Showing the weights learned") for i in at.info)
