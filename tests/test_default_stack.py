"""AppTest: one default network, whichever lab a student opens first."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.model import build_classifier
from playground.spec import NetSpec, PipelineSpec
from playground.training.trainer import training_net


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def training_after(first: list[str]) -> AppTest:
    """The Training lab, opened after visiting the pages in `first` (none: opened directly)."""
    app = AppTest.from_file("../app.py", default_timeout=120)
    app.session_state["ui.lang"] = "en"
    app.run()
    for page in [*first, "pages/training.py"]:
        app.switch_page(page)
        app.run()
    assert not app.exception
    return app


def shown_params(app: AppTest) -> str:
    """The parameter count the Training lab's model summary shows ('9,930')."""
    text = next(c.value for c in app.caption if "trainable parameters" in c.value)
    return text.split(" trainable parameters")[0].rsplit("· ", 1)[-1]


def torch_params(net: NetSpec) -> int:
    """Trainable parameters of the classifier torch builds for the grey digits at the default size, 10 classes."""
    size = PipelineSpec().train.size
    model = build_classifier(training_net(net), 1, (size, size), 10)
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def test_training_lab_first_and_layer_lab_first_train_the_same_network():
    direct = training_after([])
    via_layers = training_after(["pages/layer_lab.py"])
    direct_net = training_net(direct.session_state["spec"].net)
    layers_net = training_net(via_layers.session_state["spec"].net)
    assert direct_net.layers == layers_net.layers == READY_STACKS[DEFAULT_STACK]
    expected = torch_params(direct_net)
    assert expected == 9930  # conv 16 (160) + conv 32 (4,640) + head 32·4·4·10 + 10 (16×16 digits)
    assert shown_params(direct) == shown_params(via_layers) == f"{expected:,}"
