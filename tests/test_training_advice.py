"""Training lab, core side: hints name slider stops, lesson 6 keeps its promise,
the validation pass stops between chunks, JSON parse reasons are catalogue keys, one job per tab."""
from __future__ import annotations

import copy
import threading

import numpy as np
import pytest
import streamlit as st
import torch
from torch import nn

from playground.classroom.lessons import LESSONS
from playground.errors import Message, SpecError
from playground.i18n import t, tm
from playground.limits import LR_STEPS
from playground.spec import PipelineSpec
from playground.training import budget
from playground.training.divergence import STUCK_EPOCHS, hint_for, suggested_lr
from playground.training.loop import eval_chunk, evaluate, slices_for, train_step
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer
from playground.ui.runs import TrainLab
from playground.ui.training.advice import log_scale
from playground.ui.training.figures import confusion_figure, loss_figure

PROBLEMS = (Message("train.diverge.nan"), Message("train.diverge.explode"), Message("train.diverge.stuck"))


@pytest.fixture(autouse=True)
def fresh_session():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.mark.parametrize("lr", [*LR_STEPS, 0.5, 0.07, 2e-5, 0.0042])
@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.key)
def test_every_hint_names_a_rate_the_slider_can_select(problem, lr):
    new, hint = suggested_lr(problem, lr), hint_for(problem, lr)
    if new is None:  # only at the slider's ends
        assert (hint.key, lr) in (("train.hint.lowest", min(LR_STEPS)), ("train.hint.highest", max(LR_STEPS)))
        return
    assert new in LR_STEPS and hint.params["new"] == f"{new:g}"
    lower = hint.key == "train.hint.lower"
    assert (new < lr) if lower else (new > lr)
    ratio = lr / new if lower else new / lr
    assert 3 <= ratio <= 34 or new in (min(LR_STEPS), max(LR_STEPS)), "about 10×, on the slider's 1-3-10 stops"


def test_the_old_hint_for_the_lesson_rate_is_gone():
    assert hint_for(PROBLEMS[1], 0.5).params["new"] != "0.05"  # 0.05 is no stop of the slider
    assert 0.05 not in LR_STEPS


def test_lesson_6_names_slider_stops_only():
    lesson = LESSONS["high_lr"]
    assert lesson.spec().train.lr in LR_STEPS
    numbers = lesson.text_params()
    assert [float(numbers[k]) for k in ("lr", "lower", "lowest")] == [0.3, 0.03, 0.003]
    assert all(float(v) in LR_STEPS for v in numbers.values())
    for lang in ("en", "zh"):
        for part in ("goal", "try"):
            text = t(f"lessons.high_lr.{part}", lang, **numbers)
            assert "0.3" in text and "{" not in text


def test_lesson_6_curve_does_not_settle_as_the_lesson_says():
    trainer = Trainer(LESSONS["high_lr"].spec(), queue=TrainQueue(1)).start()
    assert trainer.join(120)
    h = trainer.snapshot()
    first = h.step_loss[0]
    assert len(h.step_loss) > 2 * h.steps_per_epoch and len(h.epochs) == STUCK_EPOCHS  # not stopped at step 6
    assert max(h.step_loss) > 10 * first, "the loss jumps up in the first steps"
    tail = h.step_loss[-h.steps_per_epoch:]
    assert min(tail) > 0.8 * np.log(10), "and stays at guessing (ln 10 for 10 digits) instead of going down"
    assert h.state == "diverged" and h.problem.key == "train.diverge.stuck"
    assert h.hint.key == "train.hint.lower" and float(h.hint.params["new"]) == 0.03
    assert log_scale(h.step_loss)  # drawn on a log axis, with the note


def test_a_spike_is_drawn_on_a_log_axis_and_a_normal_curve_is_not():
    names = dict.fromkeys(("raw", "smooth", "step", "loss"), "x")
    spike = [2.3, 2021.0, 66.0, 3.0, 2.4, 2.3]
    assert log_scale(spike) and not log_scale([2.3, 1.9, 1.0, 0.4, 0.05])
    assert loss_figure(spike, spike, names, log=True).layout.yaxis.type == "log"
    assert loss_figure(spike, spike, names).layout.yaxis.type is None


def test_confusion_matrix_colours_empty_diagonal_cells_like_every_zero():
    cm = np.array([[5, 1, 0], [2, 0, 3], [0, 0, 0]])  # class 1 never right, class 2 never seen
    names = {"pred": "p", "true": "t", "hover": "h"}
    right, wrong, empty = confusion_figure(cm, ["a", "b", "c"], names).data
    right_z, empty_z = np.array(right.z, float), np.array(empty.z, float)
    assert right_z[0, 0] == 5 and np.isnan(right_z[1, 1]) and np.isnan(right_z[2, 2])
    assert empty_z[1, 1] == 0 and empty_z[2, 2] == 0 and empty.colorscale[0][1] == "#ffffff"
    assert np.array(wrong.z, float)[1, 2] == 3


def test_validation_pass_matches_torch_and_stops_between_chunks():
    torch.manual_seed(0)
    model, loss_fn = nn.Sequential(nn.Flatten(), nn.Linear(12, 3)), nn.CrossEntropyLoss()
    x, y = torch.randn(50, 1, 3, 4), torch.randint(0, 3, (50,))
    loss, acc = evaluate(model, x, y, loss_fn, chunk=16)
    with torch.no_grad():
        logits = model(x)
    assert loss == pytest.approx(float(loss_fn(logits, y)), rel=1e-5)
    assert acc == pytest.approx(float((logits.argmax(1) == y).float().mean()))
    calls, stop = [], threading.Event()
    def seen(module, inputs, output):  # a hook returning None keeps the output
        calls.append(len(inputs[0]))
        stop.set()
    model.register_forward_hook(seen)
    assert evaluate(model, x, y, loss_fn, chunk=16, stop=stop) is None and calls == [16]
    assert [eval_chunk(b) for b in (1, 8, 64, 256)] == [16, 24, 192, 512]


def test_stop_during_validation_ends_the_run_without_a_half_epoch_row():
    trainer = Trainer(PipelineSpec().set("train.size", 8).set("train.epochs", 3), queue=TrainQueue(1))
    original = trainer.model.forward
    def forward(x):  # the first validation pass asks to stop, as a student pressing Stop would
        if not trainer.model.training:
            trainer.stop()
        return original(x)
    trainer.model.forward = forward
    trainer.start().join(60)
    h = trainer.snapshot()
    assert h.state == "stopped" and h.epochs == [] and len(h.step_loss) == h.steps_per_epoch


@pytest.mark.parametrize("text, reason", [("{not json", "name"), ('{"a" 1}', "colon"), ("[1 2]", "comma"),
                                          ("", "value"), ('"abc', "string"), ("{}x", "extra"),
                                          ('{"a":"\\q"}', "escape"), ('{"a":"\\u12"}', "unicode"),
                                          ('"a\tb"', "control"), ("1" * 5000, "number")])
def test_json_parse_errors_give_a_reason_in_the_page_language(text, reason):
    with pytest.raises(SpecError) as err:
        PipelineSpec.from_json(text)
    detail = err.value.params["detail"]
    assert err.value.key == "spec.bad_json" and detail.key == f"spec.json_reason.{reason}"
    zh = tm(err.value.message, "zh")
    assert "Expecting" not in zh and "line" not in zh and tm(detail, "zh") in zh
    if "line" in detail.params:
        assert f"第 {detail.params['line']} 行第 {detail.params['col']} 列" in zh


def test_one_training_job_per_tab():
    lab = TrainLab()
    spec = PipelineSpec().set("train.size", 8).set("train.epochs", 50)
    first = lab.start(spec)
    with pytest.raises(SpecError) as err:
        lab.start(spec)
    assert err.value.key == "train.one_job" and lab.runs == [first] and first.running
    lab.stop()
    assert first.join(5)
    lab.start(spec.set("train.epochs", 1)).join(60)
    assert len(lab.runs) == 2


def test_the_rate_meter_scales_the_estimate_from_measured_runs():
    meter = budget.RateMeter()
    assert meter.factor() == 1.0
    meter.record(6.0, 2.0, steps=50)
    meter.record(1.0, 1.0, steps=5)  # too short to count
    assert meter.factor() == 3.0
    cost = budget.TrainCost(0.01, 10.0, 100, None)
    assert budget.estimate_message(cost, meter.factor()).params == {"seconds": 30}


def test_a_batch_trained_in_parts_takes_the_same_step_as_the_whole_batch():
    torch.manual_seed(1)
    net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 6 * 6, 3))
    x, y = torch.randn(10, 1, 8, 8), torch.randint(0, 3, (10,))
    whole, parts = copy.deepcopy(net), copy.deepcopy(net)
    opt_w, opt_p = torch.optim.SGD(whole.parameters(), lr=0.1), torch.optim.SGD(parts.parameters(), lr=0.1)
    loss_w, right_w = train_step(whole, opt_w, nn.CrossEntropyLoss(), x, y)
    loss_p, right_p = train_step(parts, opt_p, nn.CrossEntropyLoss(), x, y, slices=3)
    assert loss_p == pytest.approx(loss_w, rel=1e-5) and right_p == right_w
    for a, b in zip(whole.parameters(), parts.parameters(), strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_stop_between_parts_leaves_the_weights_untouched():
    torch.manual_seed(2)
    net = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    before = [p.detach().clone() for p in net.parameters()]
    stop, seen = threading.Event(), []
    def hook(module, inputs, output):
        seen.append(len(inputs[0]))
        stop.set()  # Stop pressed while the first part trains
    net.register_forward_hook(hook)
    opt = torch.optim.SGD(net.parameters(), lr=1.0)
    assert train_step(net, opt, nn.CrossEntropyLoss(), torch.randn(8, 1, 4, 4), torch.randint(0, 3, (8,)), 4, stop) is None
    assert seen == [2] and all(torch.equal(a, b) for a, b in zip(before, net.parameters(), strict=True))


def test_heavy_batches_are_cut_into_parts_but_batchnorm_stacks_are_not():
    plain = nn.Sequential(nn.Conv2d(1, 2, 3))
    assert slices_for(plain, 0.01, 32) == 1 and slices_for(plain, 0.97, 128) == 4 and slices_for(plain, 50, 8) == 8
    assert slices_for(nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2)), 0.97, 128) == 1
