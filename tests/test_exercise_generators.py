"""Tests for the exercise generators: for many seeded settings the expected answer equals what the frameworks compute.

Oracles: cv2.flip / cv2.rotate (corner), scikit-learn scalers (normalization), torch.nn.functional (step-through
values, sizes and the window's autograd footprint), torch modules (layer shapes, parameters, receptive-field
footprint). The Training lab's questions are tested in test_exercise_training.py.
"""
from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.errors import SpecError
from playground.exercises.registry import EXERCISES, exercises_for, make
from playground.layers import kinds as K
from playground.layers.shapes import validate
from playground.model import build_stack
from playground.spec import AugmentSpec, LayerSpec, NetSpec, NormSpec, PipelineSpec
from playground.steps.problem import make_problem
from testkit.hypo import examples

SEEDS = st.integers(0, 9999)
SLOW = settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def corner_name(r: int, c: int, n: int) -> str:
    return ("top" if r == 0 else "bottom") + "_" + ("left" if c == 0 else "right") if r in (0, n - 1) and c in (0, n - 1) else "?"


CV_FLIP = {"horizontal": 1, "vertical": 0, "both": -1}
CV_TURN = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, -90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, -180: cv2.ROTATE_180}


@settings(max_examples=examples(150), deadline=None)
@given(flip=st.sampled_from(("none", "horizontal", "vertical", "both")), angle=st.sampled_from((-180, -90, 0, 90, 180, 30, -45)),
       mode=st.sampled_from(("fixed", "fixed", "random")), seed=SEEDS, variant=st.booleans())
def test_corner_equals_cv2_flip_then_rotate(flip, angle, mode, seed, variant):
    spec = replace(PipelineSpec(), augment=AugmentSpec(mode=mode, flip=flip, angle=angle))
    q = make("image.corner", spec, seed, variant)
    f = q.figure
    own = mode == "fixed" and angle % 90 == 0 and (flip != "none" or angle % 360) and not variant
    assert q.variant == (not own)
    if own:
        assert (f["flip"], f["angle"] % 360) == (flip, angle % 360)
    grid = np.zeros((f["n"], f["n"]), np.uint8)
    grid[f["marked"]] = 255
    if f["flip"] != "none":
        grid = cv2.flip(grid, CV_FLIP[f["flip"]])
    if f["angle"]:
        grid = cv2.rotate(grid, CV_TURN[f["angle"]])
    r, c = np.unravel_index(int(grid.argmax()), grid.shape)
    assert q.answer.value == corner_name(int(r), int(c), f["n"])
    assert q.answer.value not in [m.value for m in q.mistakes]


@settings(max_examples=examples(200), deadline=None)
@given(values=st.lists(st.integers(0, 255), min_size=2, max_size=8).filter(lambda v: min(v) != max(v)),
       method=st.sampled_from(("none", "minmax01", "minmax11", "zscore", "imagenet")),
       stat=st.sampled_from(("min", "max", "mean")), seed=SEEDS, own_values=st.booleans())
def test_normalized_stat_equals_sklearn_scalers(values, method, stat, seed, own_values):
    spec = replace(PipelineSpec(), norm=NormSpec(method))
    ctx = {"values": values, "stat": stat} if own_values else {}
    q = make("image.normalize", spec, seed, **ctx)
    f = q.figure
    if own_values:
        assert f["values"] == tuple(values) and f["stat"] == stat
    assert (f["method"] == method) == (method in ("minmax01", "minmax11", "zscore"))
    column = np.array(f["values"], dtype=np.float64).reshape(-1, 1)
    scaler = {"minmax01": MinMaxScaler((0, 1)), "minmax11": MinMaxScaler((-1, 1)), "zscore": StandardScaler()}[f["method"]]
    out = scaler.fit_transform(column)
    expected = {"min": out.min(), "max": out.max(), "mean": out.mean()}[f["stat"]]
    assert q.answer.value == pytest.approx(expected, abs=1e-5)


@st.composite
def problems(draw):
    """Any valid step-through setting (ops, 1 or 3 channels, sizes, stride, padding, dilation, bias)."""
    op, c, n = draw(st.sampled_from(("conv", "maxpool", "avgpool"))), draw(st.sampled_from((1, 3))), draw(st.integers(3, 8))
    rng = np.random.default_rng(draw(st.integers(0, 999)))
    x = rng.integers(-9, 10, (c, n, draw(st.sampled_from((n, n, max(3, n - 2)))))).astype(np.float64)
    k = draw(st.integers(1, 4))
    try:
        if op == "conv":
            weight = rng.integers(-2, 3, (c, k, k)).astype(np.float64)
            return make_problem(op, x, weight, bias=draw(st.sampled_from((0.0, 1.5, -2.0))), stride=draw(st.integers(1, 3)),
                                padding=draw(st.integers(0, 2)), dilation=draw(st.integers(1, 2)))
        return make_problem(op, x, kernel=k, stride=draw(st.integers(1, 3)), padding=draw(st.integers(0, k // 2)))
    except SpecError:
        assume(False)


def torch_output(pr) -> torch.Tensor:
    """(C_out, H', W') from torch.nn.functional for the same setting."""
    x = torch.from_numpy(pr.x)[None]
    if pr.op == "conv":
        w = torch.from_numpy(pr.weight)[None]
        return F.conv2d(x, w, torch.tensor([pr.bias], dtype=torch.float64), pr.stride, pr.padding, pr.dilation)[0]
    if pr.op == "maxpool":
        return F.max_pool2d(x, pr.kernel, pr.stride, pr.padding)[0]
    return F.avg_pool2d(x, pr.kernel, pr.stride, pr.padding, count_include_pad=True)[0]


def footprint(pr, t: int) -> frozenset:
    """Input cells (1-based) whose gradient is non-zero for output cell t: the window, as autograd sees it."""
    x = torch.ones((1, *pr.x.shape), dtype=torch.float64, requires_grad=True)
    if pr.op == "conv":
        out = F.conv2d(x, torch.ones((1, *pr.weight.shape), dtype=torch.float64), None, pr.stride, pr.padding, pr.dilation)
    else:
        out = F.avg_pool2d(x, pr.kernel, pr.stride, pr.padding)  # the same window as max pooling, every cell counts
    r, c = divmod(t, out.shape[3])
    out[0, 0, r, c].backward()
    nz = x.grad[0].abs().sum(0).nonzero()
    return frozenset((int(a) + 1, int(b) + 1) for a, b in nz)


@SLOW
@given(pr=problems(), seed=SEEDS, current=st.integers(0, 200))
def test_next_value_equals_torch(pr, seed, current):
    current = current % pr.count
    q = make("steps.next_value", PipelineSpec(), seed, problem=pr, step=current)
    f = q.figure
    assert not q.variant and f["problem"] is pr
    follows = current + 1 < pr.count
    if follows:
        assert f["step"] == current + 1
    assert ("prompt_at" not in q.prompt.key) == follows  # "comes next" only for the step after the board's
    assert q.prompt.params["t"] == f["step"] + 1
    r, c = divmod(f["step"], pr.out_shape[1])
    assert q.answer.value == pytest.approx(float(torch_output(pr)[f["channel"], r, c]), abs=1e-9)


@SLOW
@given(pr=problems(), seed=SEEDS)
def test_output_size_equals_torch(pr, seed):
    q = make("steps.out_size", PipelineSpec(), seed, problem=pr)
    shape = tuple(torch_output(pr).shape[1:])
    assert q.answer.value == (shape[0] if pr.x.shape[1] == pr.x.shape[2] else shape)


@SLOW
@given(pr=problems(), seed=SEEDS, current=st.integers(0, 200))
def test_window_cells_equal_the_autograd_footprint(pr, seed, current):
    q = make("steps.window", PipelineSpec(), seed, problem=pr, step=current % pr.count)
    assert q.answer.value == footprint(pr, q.figure["step"]) and q.answer.value


@settings(max_examples=examples(40), deadline=None)
@given(seed=SEEDS, which=st.sampled_from(("steps.next_value", "steps.out_size", "steps.window")))
def test_practice_problems_also_equal_torch(seed, which):
    q = make(which, PipelineSpec(), seed)  # no problem from the page: a seeded practice one
    pr = q.figure["problem"]
    assert q.variant
    if which == "steps.next_value":
        r, c = divmod(q.figure["step"], pr.out_shape[1])
        assert q.answer.value == pytest.approx(float(torch_output(pr)[q.figure["channel"], r, c]))
    elif which == "steps.window":
        assert q.answer.value == footprint(pr, q.figure["step"])
    else:
        assert q.answer.value == torch_output(pr).shape[1]


@st.composite
def stacks(draw):
    """A layer stack (conv / pooling / activation / norm / adaptive) and an input shape; may well be invalid."""
    def layer():
        kind = draw(st.sampled_from(("conv", "conv", "maxpool", "avgpool", "relu", "batchnorm", "adaptiveavgpool")))
        return LayerSpec(kind, out_channels=draw(st.integers(1, 12)), kernel=draw(st.integers(1, 5)),
                         stride=draw(st.integers(1, 3)), padding=draw(st.integers(0, 2)),
                         same=draw(st.booleans()) and kind == "conv", dilation=draw(st.integers(1, 2)),
                         bias=draw(st.booleans()), out_size=draw(st.integers(1, 4)))
    layers = tuple(layer() for _ in range(draw(st.integers(0, 4))))
    shape = (draw(st.sampled_from((1, 3))), draw(st.integers(6, 40)), draw(st.integers(6, 40)))
    return replace(PipelineSpec(), net=NetSpec(layers, seed=draw(st.integers(0, 99)))), shape


def torch_shapes(net: NetSpec, shape) -> list[tuple]:
    x, out = torch.rand(1, *shape), []
    with torch.no_grad():
        for module in build_stack(net, shape[0]).eval():
            x = module(x)
            out.append(tuple(x.shape[1:]))
    return out


def _own_stack(q, spec, shape) -> bool:
    """True when the question is about the student's stack (which must then be the one in the figure)."""
    if not q.variant:
        assert q.figure["net"] == spec.net and q.figure["in_shape"] == shape
    return not q.variant


@SLOW
@given(setting=stacks(), seed=SEEDS, layer=st.integers(1, 4))
def test_layer_output_shape_equals_torch(setting, seed, layer):
    spec, shape = setting
    q = make("layers.out_shape", spec, seed, in_shape=shape, layer=layer)
    _own_stack(q, spec, shape)
    f = q.figure
    assert q.answer.value == torch_shapes(f["net"], f["in_shape"])[f["layer"] - 1]


@SLOW
@given(setting=stacks(), seed=SEEDS, layer=st.integers(1, 4))
def test_conv_parameter_count_equals_torch(setting, seed, layer):
    spec, shape = setting
    q = make("layers.params", spec, seed, in_shape=shape, layer=layer)
    _own_stack(q, spec, shape)
    f = q.figure
    module = build_stack(f["net"], f["in_shape"][0])[f["layer"] - 1]
    assert isinstance(module, torch.nn.Conv2d)
    assert q.answer.value == sum(p.numel() for p in module.parameters() if p.requires_grad)


def geometry_twin(net: NetSpec, upto: int) -> NetSpec:
    """The same windows with positive weights: box convs (summed over channels), average instead of max pooling,
    and no elementwise layers (they keep every position), so the gradient reaches every pixel in the field."""
    out = []
    for layer in net.layers[:upto]:
        family = K.kind(layer.kind).family
        if family == K.CONV:
            out.append(replace(layer, init="box", combine="sum"))
        elif family == K.POOL:
            out.append(replace(layer, kind="avgpool"))
    return NetSpec(tuple(out))


@SLOW
@given(setting=stacks(), seed=SEEDS, layer=st.integers(1, 4))
def test_receptive_field_equals_the_autograd_footprint(setting, seed, layer):
    spec, shape = setting
    q = make("layers.receptive_field", spec, seed, in_shape=shape, layer=layer)
    _own_stack(q, spec, shape)
    twin = geometry_twin(q.figure["net"], q.figure["layer"])
    side = 4 * q.answer.value + 16  # large enough that the centre pixel's field is not clipped by the border
    validate(twin, (1, side, side))
    x = (torch.rand(1, 1, side, side) + 0.5).requires_grad_()
    out = build_stack(twin, 1).eval()(x)
    out[0, :, out.shape[2] // 2, out.shape[3] // 2].sum().backward()
    nz = x.grad[0, 0].nonzero()
    height, width = (int(nz[:, i].max() - nz[:, i].min()) + 1 for i in (0, 1))
    assert q.answer.value == height == width


def test_layer_questions_use_the_students_layer_when_it_fits():
    net = NetSpec((LayerSpec("conv", 16, 5, stride=2, padding=1), LayerSpec("relu"), LayerSpec("maxpool", kernel=2, stride=2)))
    spec = replace(PipelineSpec(), net=net)
    q = make("layers.out_shape", spec, 0, in_shape=(3, 170, 256), layer=1)
    assert not q.variant and q.figure["layer"] == 1 and q.answer.value == (16, 84, 127)
    assert make("layers.out_shape", spec, 0, in_shape=(3, 170, 256), layer=3).answer.value == (16, 42, 63)
    assert make("layers.params", spec, 5, in_shape=(3, 170, 256), layer=3).figure["layer"] == 1  # the only conv
    empty = make("layers.params", PipelineSpec(), 5)
    assert empty.variant and empty.note.key == "exercises.notes.no_stack"


@settings(max_examples=examples(30), deadline=None)
@given(exercise=st.sampled_from(sorted(EXERCISES)), seed=SEEDS, variant=st.booleans())
def test_same_seed_and_settings_give_the_same_question(exercise, seed, variant):
    spec = replace(PipelineSpec(), net=NetSpec((LayerSpec("conv", 8, 3, padding=1), LayerSpec("maxpool", kernel=2, stride=2))))
    one, two = (make(exercise, spec, seed, variant, in_shape=(3, 64, 96)) for _ in range(2))
    assert one == two
    if "problem" in one.figure:
        assert np.array_equal(one.figure["problem"].x, two.figure["problem"].x)


@pytest.mark.parametrize("exercise", sorted(EXERCISES))
def test_seeds_give_different_practice_questions(exercise):
    seen = {repr((q.given, q.prompt, q.answer)) for q in (make(exercise, PipelineSpec(), s, True) for s in range(12))}
    assert len(seen) >= (2 if exercise == "training.chance" else 3)  # chance: only two data sets


def test_every_lab_has_exercises():
    assert {lab: len(exercises_for(lab)) >= 2 for lab in ("image", "steps", "layers", "training")} == \
        {"image": True, "steps": True, "layers": True, "training": True}
    assert all(e.split(".")[0] in ("image", "steps", "layers", "training") for e in EXERCISES)

