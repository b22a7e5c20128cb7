"""AppTest: "Your image" on a digit model (prepared like the data set, honest about photos) and the Layer lab's
trained view after a run on the student's own pictures."""
from __future__ import annotations

import pytest
import streamlit as st
from test_ownset_page import fill, train

from playground.i18n import t
from playground.layers.stacks import READY_STACKS
from testkit.apptest import open_app
from testkit.wait import wait_until


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def digit_run(sample: str):
    at = open_app("pages/training.py", timeout=120, query={"image.sample": sample, "train.epochs": "6"})
    at.button(key="b.train.start").click().run()
    wait_until(lambda: at.run().success, 120, "the run's Finished message", poll=0.3)
    assert not at.exception
    return at


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_the_sample_digit_is_prepared_like_the_data_set_and_predicted():
    at = digit_run("digit")  # sklearn's digit 0, white on black
    captions = [i.caption for el in at.get("image") for i in el.proto.imgs]
    for key in ("prepare.step_grey", "prepare.step_ink", "prepare.step_bitmap", "prepare.step_grid"):
        assert t(key, "en") in captions
    assert t("own.predict.received", "en", side=16) in captions
    assert any(m.startswith("The model says **0**") for m in markdown(at))
    assert not any(w.value.startswith("This picture is nothing like") for w in at.warning)


def test_a_photo_on_the_digit_model_is_called_unlike_the_training_pictures():
    at = digit_run("china")
    warning = [w.value for w in at.warning if w.value.startswith("This picture is nothing like the training pictures")]
    assert warning and "it only knows 0, 1, 2" in warning[0]
    assert not any(m.startswith("The model says") for m in markdown(at))
    assert not [c for c in at.get("plotly_chart") if '"Probability (%)"' in c.proto.spec]  # no confident bar


def test_the_layer_lab_shows_weights_trained_on_your_pictures_and_says_what_to_change():
    at = open_app("pages/layer_lab.py", timeout=120)  # seeds the default stack, colour picture
    at.switch_page("pages/training.py").run()
    at.radio(key="w.train.dataset").set_value("yours").run()
    at.slider(key="w.train.size").set_value(16).run()
    at.slider(key="w.train.epochs").set_value(2).run()
    fill(at)
    train(at)
    at.switch_page("pages/layer_lab.py").run()
    assert not at.exception
    at.toggle(key="w.view.layers.trained").set_value(True).run()
    assert any(i.value.startswith("Showing the weights learned in the Training lab on Your pictures") for i in at.info)
    at.toggle(key="w.view.layers.trained").set_value(False).run()
    at.session_state["spec"] = at.session_state["spec"].set("image.grayscale", True)
    at.run()
    assert t("trained_view.colour_run", "en") in [i.value for i in at.info]
    at.button(key="b.layers.trained_fix").click().run()
    assert at.session_state["spec"].image.grayscale is False
    assert at.toggle(key="w.view.layers.trained").label == t("layers.trained.toggle", "en")
    at.session_state["spec"] = at.session_state["spec"].set("net.layers", READY_STACKS["strided"])
    at.run()
    assert any(i.value.startswith("Your last training run trained another stack (6 layers)") for i in at.info)
    at.button(key="b.layers.trained_fix").click().run()
    assert at.session_state["spec"].net.layers != READY_STACKS["strided"]
    assert at.toggle(key="w.view.layers.trained").label == t("layers.trained.toggle", "en")
