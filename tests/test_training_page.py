"""AppTest: the Training lab started, polled and stopped like a student would; tiny runs only."""
from __future__ import annotations

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from playground.spec import PipelineSpec
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer
from playground.ui.runs import TrainLab
from testkit.wait import wait_until


@pytest.fixture(autouse=True)
def fresh_session():
    """AppTest gives every app the same session id: drop the session-scoped TrainLab between tests."""
    st.cache_resource.clear()  # fires on_release: any worker left running is stopped
    yield
    st.cache_resource.clear()


def open_page(lang: str = "en", query: dict | None = None) -> AppTest:
    app = AppTest.from_file("../app.py", default_timeout=120)
    app.session_state["ui.lang"] = lang
    for k, v in (query or {}).items():
        app.query_params[k] = v
    app.run()
    app.switch_page("pages/training.py")
    return app.run()


def run_until(at: AppTest, done, what: str, seconds: float = 120) -> AppTest:
    """Rerun (as the fragment's timer would) until done(at); fails naming `what` if that never comes."""
    wait_until(lambda: done(at.run()), seconds, what, poll=0.3)
    return at


def texts(at, kind: str) -> list[str]:
    return [e.value for e in getattr(at, kind)]


def test_start_runs_to_the_end_and_shows_results():
    at = open_page(query={"train.size": "8", "train.epochs": "2"})
    assert not at.exception and at.title[0].value == t("train.title", "en")
    assert texts(at, "info")[-1] == t("train.no_run", "en")
    at.button(key="b.train.start").click().run()
    at = run_until(at, lambda a: a.success, "the run's Finished message")
    assert not at.exception, [e.value for e in at.exception]
    assert texts(at, "success")[0].startswith("Finished:")
    assert [tab.label for tab in at.tabs][:3] == [t("train.tab_cm", "en"), t("train.tab_samples", "en"),
                                                  t("train.tab_filters", "en")]
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # loss, per-epoch, confusion
    assert '"x":[1,2' in charts[0].proto.spec.replace(" ", "")  # the loss curve has points
    assert at.button(key="b.train.start").disabled is False and at.button(key="b.train.stop").disabled is True
    assert t("train.stale", "en") not in texts(at, "caption")
    at.radio(key="w.train.dataset").set_value("shapes").run()
    assert t("train.stale", "en") in texts(at, "caption")  # the results are of a run with other settings
    at.session_state["ui.lang"] = "zh"  # switching language keeps the run and its results
    at.run()
    assert not at.exception and texts(at, "success")[0].startswith("训练完成")


def test_stop_keeps_what_was_learned(no_training_left_running):
    at = open_page(query={"train.epochs": "50"})
    at.button(key="b.train.start").click().run()
    assert at.button(key="b.train.stop").disabled is False
    (trainer,) = no_training_left_running  # the run the page started
    at = run_until(at, lambda a: len(a.get("plotly_chart")) and '"x":[1,2' in a.get("plotly_chart")[0].proto.spec,
                   "two points on the loss curve")
    at.button(key="b.train.stop").click().run()
    assert trainer.join(60)
    at.run()
    assert not at.exception
    h = trainer.snapshot()
    assert h.state == "stopped" and 2 <= len(h.step_loss) < h.total_steps
    assert texts(at, "warning")[0].startswith(f"Stopped after {len(h.step_loss)} of {h.total_steps} steps")
    assert t("train.results_title", "en") in [h.value for h in at.header]
    learned = trainer.trained_model()[0].weight.detach().numpy()  # the first conv's filters, as the results use them
    assert learned.shape == h.filters[0].shape and not np.allclose(learned, h.filters[0])


def test_impossible_stack_shows_the_layer_lab_message_and_offers_the_ready_stack():
    at = open_page(query={"train.size": "8", "net.layers": '[{"kind":"conv","kernel":11}]'})
    assert at.error and "Conv2d" in at.error[0].value
    assert at.button(key="b.train.start").disabled is True
    at.button(key="b.train.use_default").click().run()
    assert not at.error and at.session_state["spec"].net.layers == ()
    assert at.button(key="b.train.start").disabled is False


def test_chinese_page_and_settings_follow_the_spec():
    at = open_page("zh", query={"train.dataset": "shapes", "train.colour": "1"})
    assert at.title[0].value == t("train.title", "zh") and not at.exception
    assert any("3×16×16" in m.value for m in at.markdown)
    at.select_slider(key="w.train.lr").set_value(0.03).run()
    assert at.session_state["spec"].train.lr == 0.03
    at.toggle(key="w.train.augment").set_value(True).run()
    assert any("±30°" in c.value for c in at.caption) and at.session_state["spec"].train.augment


def test_closing_the_tab_releases_the_lab_and_stops_its_worker():
    lab = TrainLab()
    lab.runs.append(Trainer(PipelineSpec().set("train.epochs", 50), queue=TrainQueue(1)).start())
    TrainLab.release(lab)  # what @tab_store(TrainLab.release) runs when the session's cache entry is dropped
    assert lab.runs[0].join(1.0) and lab.runs[0].snapshot().state == "stopped"
