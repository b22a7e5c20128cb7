"""The Layer lab shows the Training lab's learned weights when the stack matches, and says which weights."""
from __future__ import annotations

import numpy as np
import pytest
import streamlit as st
import torch
from streamlit.testing.v1 import AppTest

from playground.i18n import t
from playground.model import build_model, stack_maps
from testkit.wait import wait_until


@pytest.fixture(autouse=True)
def fresh_session():
    """AppTest shares one session id: drop session-scoped training runs between tests."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def trained_app() -> AppTest:
    """A grey digit sample, the Layer lab's default stack, trained for two tiny epochs in the Training lab."""
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["ui.lang"] = "en"
    for k, v in {"image.sample": "digit", "image.grayscale": "1", "train.size": "16", "train.epochs": "2"}.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/layer_lab.py").run()  # seeds the default stack
    at.switch_page("pages/training.py").run()
    at.button(key="b.train.start").click().run()
    wait_until(lambda: at.run().success, 120, "the tiny training's Finished message", poll=0.3)
    assert at.success, "the tiny training did not finish"
    return at.switch_page("pages/layer_lab.py").run()


def test_trained_weights_are_offered_shown_and_named():
    at = trained_app()
    assert not at.exception
    toggle = at.toggle(key="w.view.layers.trained")
    assert toggle.label == t("layers.trained.toggle", "en") and toggle.value is False
    toggle.set_value(True).run()
    assert not at.exception
    assert any(i.value.startswith("Showing the weights learned in the Training lab on Handwritten digits") for i in at.info)


def test_trained_maps_come_from_trained_weights():
    at = trained_app()
    at.toggle(key="w.view.layers.trained").set_value(True).run()
    cache = at.session_state["cache"]
    start, trained = cache["layers.main"][1], cache["layers.trained"][1]
    spec = at.session_state["spec"]
    fresh = build_model(spec.net, start.in_shape[0])
    convs = [i for i, layer in enumerate(spec.net.layers) if layer.kind == "conv"]
    assert convs and all(not torch.equal(trained.stack[i].weight, fresh[i].weight) for i in convs)
    assert any(not np.allclose(a, b) for a, b in zip(start.maps, trained.maps, strict=False))
    for got, want in zip(trained.maps, stack_maps(trained.stack, start.x), strict=False):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_no_offer_when_the_stack_differs():
    at = trained_app()
    at.button(key="b.layers.remove.0").click().run()  # the stack is no longer the trained one
    assert not at.exception
    assert "w.view.layers.trained" not in [tg.key for tg in at.toggle]
