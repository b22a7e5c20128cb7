"""A finished run as a board entry (playground/board/runs.py), and QR codes (playground/classroom/qr.py)."""
from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from playground.board import open_store
from playground.board.runs import clean_curve, entry_from_run, layer_word, stack_line
from playground.board.validate import CURVE_MAX_VALUE, STACK_MAX
from playground.classroom.qr import qr_png
from playground.layers.kinds import KIND_IDS
from playground.spec import LayerSpec, NetSpec, PipelineSpec
from playground.training.trainer import DEFAULT_TRAIN_STACK

SPEC = PipelineSpec().set("train.epochs", 3)
EPOCHS = [{"val_acc": 0.5}, {"val_acc": 0.75}, {"val_acc": 0.9}]


def test_stack_line_names_every_layer_with_its_numbers():
    assert stack_line(NetSpec(layers=DEFAULT_TRAIN_STACK)) == (
        "Conv2d 16@3×3 p1 · ReLU · MaxPool2d 2 · Conv2d 32@3×3 p1 · ReLU · MaxPool2d 2")
    assert layer_word(LayerSpec("conv", 8, 5, stride=2, padding=1, dilation=2)) == "Conv2d 8@5×5 s2 d2 p1"
    assert layer_word(LayerSpec("avgpool", kernel=3, stride=1)) == "AvgPool2d 3 s1"
    assert layer_word(LayerSpec("leakyrelu", slope=0.1)) == "LeakyReLU 0.1"
    assert all(layer_word(LayerSpec(k)) for k in KIND_IDS)


def test_a_long_stack_is_cut_to_what_the_board_keeps():
    line = stack_line(NetSpec(layers=(LayerSpec("conv", 64, 11, padding=5, dilation=3, stride=2),) * 12))
    assert len(line) == STACK_MAX and line.endswith("…")


def test_clean_curve_drops_nan_and_caps_infinities():
    assert clean_curve([2.0, math.nan, math.inf, -1.0, 0.5]) == (2.0, CURVE_MAX_VALUE, 0.0, 0.5)
    assert clean_curve([math.nan, math.nan]) == (CURVE_MAX_VALUE,)


def test_entry_from_a_diverged_run_is_accepted_by_the_store(tmp_path):
    from playground.board import db

    entry = entry_from_run(SPEC, NetSpec(layers=DEFAULT_TRAIN_STACK), EPOCHS, [2.3, math.inf, math.nan, 0.4], 3.5, 9930)
    assert (entry.epochs, entry.val_acc, entry.params, entry.dataset) == (3, 0.9, 9930, "digits")
    store = open_store(db.make_engine(f"sqlite+pysqlite:///{tmp_path / 'b.sqlite3'}"))
    code, _ = store.create_board()
    saved = store.publish(code, "ana", entry)
    assert saved.curve == (2.3, CURVE_MAX_VALUE, 0.4) and saved.spec() == SPEC


def test_no_entry_before_the_first_epoch():
    assert entry_from_run(SPEC, SPEC.net, [], [2.3], 0.2, 100) is None


@pytest.mark.parametrize("text", ["http://127.0.0.1:8501/training?class=ABCDEFGHJK",
                                  "http://school.example/?" + "&".join(f"augment.k{i}=v{i}" for i in range(40))])
def test_qr_code_decodes_to_the_link(text):
    png = qr_png(text)
    picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert cv2.QRCodeDetector().detectAndDecode(picture)[0] == text  # OpenCV as the oracle


def test_a_link_too_long_for_any_qr_code_gives_none():
    assert qr_png("x" * 5000) is None
