"""Training lab figures: the loss axis starts at 0 and shows the chance line ln(classes); a stuck run goes on."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from playground.spec import PipelineSpec
from playground.ui.runs import TrainLab
from playground.ui.training.figures import chance_loss, epoch_loss_figure, loss_figure, loss_range

NAMES = {k: k for k in ("raw", "smooth", "step", "loss", "epoch", "train_loss", "val_loss", "chance")}


def uniform_loss(n: int) -> float:
    """Cross-entropy of equal logits for n classes, as torch computes it: the loss of guessing."""
    return F.cross_entropy(torch.zeros(1, n), torch.tensor([0])).item()


def test_chance_is_the_loss_of_equal_guesses():
    for n in (2, 4, 10):
        assert math.isclose(chance_loss(n), uniform_loss(n), rel_tol=1e-6)
    assert f"{chance_loss(10):.2f}" == "2.30"


def test_a_flat_loss_near_chance_is_not_zoomed_into_noise():
    flat = [2.26, 2.32, 2.28, 2.30, 2.27, 2.31] * 20  # plain SGD at lr 0.003: loss wobbles around ln 10
    fig = loss_figure(flat, flat, NAMES, n_classes=10)
    low, high = fig.layout.yaxis.range
    assert low == 0 and high >= uniform_loss(10) and high >= max(flat)
    wobble = (max(flat) - min(flat)) / (high - low)
    assert wobble < 0.05, f"the 0.06 wobble fills {100 * wobble:.0f} % of the axis"
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and math.isclose(lines[0].y0, uniform_loss(10), rel_tol=1e-6)


def test_the_axis_grows_with_a_loss_above_chance_and_log_runs_keep_their_own_axis():
    assert loss_range([0.1, 5.0, float("nan")], chance_loss(10))[1] >= 5.0
    spike = [2.3, 2000.0, 2.3]
    fig = loss_figure(spike, spike, NAMES, log=True, n_classes=10)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.range is None
    epochs = [{"epoch": 1, "train_loss": 2.29, "val_loss": 2.31}, {"epoch": 2, "train_loss": 2.28, "val_loss": 2.30}]
    assert epoch_loss_figure(epochs, NAMES, n_classes=10).layout.yaxis.range[0] == 0


def test_the_tab_continues_its_stuck_run_in_place():
    spec = (PipelineSpec().set("train.size", 8).set("train.batch", 32).set("train.epochs", 5)
            .set("train.optimizer", "sgd").set("train.lr", 1e-5))
    lab = TrainLab()
    stuck = lab.start(spec)
    assert stuck.join(60) and stuck.snapshot().state == "diverged"
    later = lab.continue_current()
    assert later is not None and lab.runs == [later]
    assert later.join(60) and later.snapshot().state == "done" and len(later.snapshot().epochs) == 5
    assert lab.continue_current() is None  # nothing left to train
    off = lab.start(spec, stop_when_stuck=False)
    assert off.join(60) and off.snapshot().state == "done" and off.snapshot().problem is None
