"""Tests for playground/layers/cost.py and playground/training/budget.py: counts, refusals, what always fits.

Oracles: torch's FlopCounterMode for conv multiply-adds, torch's own output shapes for pooling.
"""
from __future__ import annotations

import itertools

import pytest
import torch
from torch.utils.data import DataLoader
from torch.utils.flop_counter import FlopCounterMode

from playground.classroom.lessons import LESSONS
from playground.errors import SpecError
from playground.i18n import tm
from playground.layers import cost
from playground.layers.shapes import _check_memory, validate
from playground.layers.stacks import READY_STACKS
from playground.model import make_layer
from playground.spec import LayerSpec as L
from playground.spec import NetSpec, PipelineSpec, TrainSpec
from playground.training import budget, datasets
from playground.training.queue import TrainQueue
from playground.training.trainer import DEFAULT_TRAIN_STACK, Trainer, estimate, training_net

FIVE_BIG_CONVS = (L("conv", 64, 11), *[L("conv", 64, 11, stride=2)] * 4)  # about 8.5 s a rerun when it was allowed
TWELVE_SAME_CONVS = tuple(L("conv", 64, 11, same=True) for _ in range(12))  # 70 s a training step when it was allowed


def refused(call, *args) -> SpecError:
    """Assert call(*args) raises a SpecError whose message reads in both languages."""
    with pytest.raises(SpecError) as info:
        call(*args)
    for lang in ("en", "zh"):
        assert tm(info.value.message, lang)
    return info.value


@pytest.mark.parametrize("layer, shape", [
    (L("conv", 8, 3), (3, 20, 17)), (L("conv", 5, 4, stride=3, padding=2), (2, 19, 23)),
    (L("conv", 4, 3, dilation=2, same=True), (3, 15, 15)), (L("conv", 1, 11), (64, 30, 30))])
def test_conv_multiply_adds_match_torchs_flop_counter(layer, shape):
    row = validate(NetSpec((layer,)), shape)[0]
    with FlopCounterMode(display=False) as counter:
        make_layer(layer, shape[0])(torch.zeros(1, *shape))
    assert 2 * cost.layer_ops(row) == counter.get_total_flops()  # torch counts a multiply-add as 2 FLOPs
    out = make_layer(layer, shape[0])(torch.zeros(1, *shape))
    k = layer.kernel
    assert cost.layer_counts(row)[1:] == (shape[0] * k * k * out[0, 0].numel(), out.numel(), shape[0] * shape[1] * shape[2],
                                          out[0, 0].numel())  # gathered, written, read, positions


@pytest.mark.parametrize("layer", [L("maxpool", kernel=3, stride=2, padding=1), L("avgpool", kernel=5, stride=1)])
def test_pooling_window_reads_follow_torchs_output(layer):
    shape = (6, 21, 18)
    row = validate(NetSpec((layer,)), shape)[0]
    out = make_layer(layer, 6)(torch.zeros(1, *shape))
    assert cost.layer_ops(row) == out.numel() * layer.kernel ** 2
    assert cost.layer_counts(row) == (out.numel() * layer.kernel ** 2, 0, out.numel(), 6 * 21 * 18, 0)


def test_elementwise_and_adaptive_count_their_input_values():
    rows = validate(NetSpec((L("relu"), L("batchnorm"), L("adaptiveavgpool", out_size=2))), (4, 10, 12))
    assert [cost.layer_ops(r) for r in rows] == [480, 480, 480]


def test_the_issues_heavy_stack_passes_the_memory_budget_but_not_the_compute_budget():
    shape = (3, 683, 1024)  # a landscape sample at the largest working size
    with pytest.raises(SpecError) as info:
        validate(NetSpec(FIVE_BIG_CONVS), shape)
    err = info.value
    assert err.key == "budget.forward_conv" and err.params["ms"] > err.params["budget_ms"]
    costs = cost.layer_costs(_rows_without_budget(FIVE_BIG_CONVS, shape))
    top = max(costs, key=lambda c: c.seconds)
    assert err.params["layer"] == top.index == 2 and err.params["kind"] == "Conv2d"
    assert err.params["mops"] == cost.millions(top.ops) and err.params["c"] == 64 and err.params["k"] == 11
    text = tm(err.message, "en")
    assert "layer 2 Conv2d" in text and "1024×683" in text and "fewer output channels (now 64)" in text


def _rows_without_budget(layers, shape):
    """Shape rows of a stack with the compute budget switched off (the memory budget still applies)."""
    saved, cost.FORWARD_BUDGET_S = cost.FORWARD_BUDGET_S, float("inf")
    try:
        rows = validate(NetSpec(tuple(layers)), shape)
    finally:
        cost.FORWARD_BUDGET_S = saved
    _check_memory(rows, shape)
    return rows


def test_slow_pooling_is_named_with_its_own_fix():
    layers, shape = (L("conv", 16, 1), L("maxpool", kernel=11, stride=1)), (3, 1024, 1024)
    err = refused(validate, NetSpec(layers), shape)
    assert err.key == "budget.forward_pool" and err.params["layer"] == 2 and err.params["kind"] == "MaxPool2d"
    assert "larger stride (now 1)" in tm(err.message, "en")


def test_elementwise_layers_get_the_map_message(monkeypatch):
    monkeypatch.setattr(cost, "FORWARD_BUDGET_S", 1e-6)
    err = refused(validate, NetSpec((L("gelu"),)), (3, 64, 64))
    assert err.key == "budget.forward_map" and err.params["kind"] == "GELU"


SIDES = range(32, 257, 32)


def _named_stacks():
    yield from ((f"lesson {k}", v.spec().net.layers, 1 if v.spec().image.grayscale else 3) for k, v in LESSONS.items())
    yield from ((f"stack {k}", v, c) for k, v in READY_STACKS.items() for c in (1, 3))


@pytest.mark.parametrize("name, layers, c", list(_named_stacks()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_lesson_and_ready_stack_fits_every_working_size_up_to_256(name, layers, c):
    for h, w in itertools.product(SIDES, SIDES):  # every working size, any aspect
        try:
            validate(NetSpec(tuple(layers)), (c, h, w))
        except SpecError as exc:
            assert not exc.key.startswith(("budget.", "layers.memory")), (name, h, w, exc)


def test_training_budget_refuses_the_issues_heavy_training():
    spec = PipelineSpec.from_dict({"net": {"layers": [{"kind": "conv", "out_channels": 64, "kernel": 11, "same": True}] * 12},
                                   "train": {"size": 32, "batch": 256, "epochs": 50}})
    est = estimate(spec)
    assert est.step_s > cost.STEP_BUDGET_S and est.run_s > cost.RUN_BUDGET_S
    err = refused(Trainer, spec, TrainQueue(1))
    assert err.key == "budget.train_step" and err.params["batch"] == 256 and err.params["size"] == 32
    assert err.params["kind"] == "Conv2d" and 2 <= err.params["layer"] <= 12  # 1 has one input channel: cheaper


def test_a_run_of_cheap_steps_can_still_be_too_long():
    layers = [{"kind": "conv", "out_channels": 32, "kernel": 5, "same": True}] * 6
    spec = PipelineSpec.from_dict({"net": {"layers": layers}, "train": {"size": 32, "batch": 8, "epochs": 50}})
    est = estimate(spec)
    assert est.step_s <= cost.STEP_BUDGET_S and est.run_s > cost.RUN_BUDGET_S
    err = refused(Trainer, spec, TrainQueue(1))
    assert err.key == "budget.train_run" and err.params["epochs"] == 50 and err.params["steps"] == est.steps
    fewer = spec.set("train.epochs", 5)
    assert estimate(fewer).run_s < cost.RUN_BUDGET_S and Trainer(fewer, TrainQueue(1)).cost == estimate(fewer)


@pytest.mark.parametrize("dataset, colour", [("digits", False), ("shapes", False), ("shapes", True)])
def test_the_default_and_lesson_stacks_train_within_budget_at_every_setting(dataset, colour):
    stacks = [(), *(v.spec().net.layers for v in LESSONS.values() if v.needs_training)]
    for layers, size, batch in itertools.product(stacks, (8, 16, 24, 32), (8, 256)):
        train = TrainSpec(dataset=dataset, colour=colour, size=size, batch=batch, epochs=50)
        net = training_net(NetSpec(tuple(layers)))
        est = budget.train_estimate(net, datasets.load(train), train)
        budget.check(est, train)  # raises when over budget
        n = len(datasets.load(train).train_labels)  # torch's loader gives ceil(n / batch); a last batch of one is dropped
        assert est.run_s > 0 and est.steps == 50 * (len(DataLoader(range(n), batch_size=batch)) - (n % batch == 1))
    assert DEFAULT_TRAIN_STACK == training_net(NetSpec()).layers


def test_estimate_message_before_start():
    est = estimate(PipelineSpec())
    msg = budget.estimate_message(cost.TrainCost(0.1, 12.4, 100, est.top))
    assert msg.key == "budget.estimate_seconds" and msg.params == {"seconds": 12}
    assert budget.estimate_message(cost.TrainCost(0.01, 0.3, 30, est.top)).params == {"seconds": 1}
    assert budget.estimate_message(cost.TrainCost(0.1, 12.4, 100, est.top), 2.0).params == {"seconds": 25}
    assert "s" in tm(msg, "en") and "秒" in tm(msg, "zh")
    long = cost.TrainCost(1.0, 600.0, 600, est.top)
    assert budget.estimate_message(long).params == {"minutes": 10.0} and "10.0 min" in tm(budget.estimate_message(long))


def test_trainer_keeps_its_estimate_and_the_default_run_is_short():
    trainer = Trainer(PipelineSpec(), TrainQueue(1))
    assert trainer.cost == estimate(PipelineSpec())
    assert trainer.cost.steps == trainer.snapshot().total_steps
    assert trainer.cost.run_s < 60, "the default Training lab run is a minute at most"


def test_budgets_stay_within_their_targets():
    assert cost.FORWARD_BUDGET_S <= 0.5 and cost.STEP_BUDGET_S <= 1.0


@pytest.mark.parametrize("shape", [(64, 149, 224), (3, 1024, 683), (128, 7, 7), (1, 16, 16), (6, 300, 20)])
def test_the_drawing_estimate_counts_the_pixels_the_picture_really_has(shape):
    import numpy as np

    from playground.layers.shapes import LayerInfo
    from playground.tiles import LARGE_COLS, tile_maps

    row = LayerInfo(1, "relu", "ReLU", shape, shape, 0, 1, 1, 0)
    grid = tile_maps(np.zeros(shape, np.float32), max_cols=LARGE_COLS)  # the real picture (H', W', 3)
    values, pixels = shape[0] * shape[1] * shape[2], (grid.shape[0] + 2) * (grid.shape[1] + 2)  # + the cut gap
    assert cost.draw_seconds(row) == pytest.approx((cost.DRAW_VALUE_NS * values + cost.DRAW_PIXEL_NS * pixels) * 1e-9)


def test_the_release_budget_counts_the_pictures_too(monkeypatch):
    net, shape = NetSpec((L("conv", 64, 3),) * 12), (3, 149, 224)
    rows = validate(net, shape)
    forward = cost.forward_seconds(rows)
    assert cost.release_seconds(rows) == pytest.approx(forward + sum(cost.draw_seconds(r) for r in rows))
    monkeypatch.setattr(cost, "FORWARD_BUDGET_S", (forward + cost.release_seconds(rows)) / 2)  # between the two
    assert refused(validate, net, shape).key == "budget.forward_conv"
