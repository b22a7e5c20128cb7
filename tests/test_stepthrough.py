"""Tests for playground/steps/problem.py: every step's numbers equal torch's conv2d / max_pool2d / avg_pool2d."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from playground.errors import SpecError
from playground.layers.shapes import size_terms
from playground.steps.problem import STEP_LIMITS, make_problem, output, output_size, padded, step, steps
from testkit.hypo import examples

SETTINGS = settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lim(name):
    """Integer range of a STEP_LIMITS row."""
    return int(STEP_LIMITS[name].min), int(STEP_LIMITS[name].max)


@st.composite
def settings_(draw, op=None, valid=True):
    """A random setting: op, (C, H, W) input, kernel, bias, stride, padding, dilation."""
    op = op or draw(st.sampled_from(["conv", "maxpool", "avgpool"]))
    c = draw(st.sampled_from([1, 3]))
    h, w = draw(st.integers(*lim("size"))), draw(st.integers(*lim("size")))
    k, s = draw(st.integers(*lim("kernel"))), draw(st.integers(*lim("stride")))
    p = draw(st.integers(*lim("padding")))
    d = draw(st.integers(*lim("dilation"))) if op == "conv" else 1
    if op != "conv" and valid:
        p = min(p, k // 2)  # invalid draws keep pool padding over half the window: torch must reject it too
    if valid:
        assume(output_size(h, k, s, p, d) >= 1 and output_size(w, k, s, p, d) >= 1)
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    x = rng.integers(-20, 21, (c, h, w)).astype(np.float64) + rng.choice([0.0, 0.5], (c, h, w))
    weight = rng.normal(size=(c, k, k)).round(2) if op == "conv" else None
    bias = float(draw(st.sampled_from([0.0, -2.5, 1.0, 7.5])))
    return dict(op=op, x=x, weight=weight, kernel=k, bias=bias, stride=s, padding=p, dilation=d)


def torch_out(kw) -> np.ndarray:
    """torch's answer for one setting: (C_out, H', W')."""
    x = torch.tensor(kw["x"])[None]  # (1, C, H, W) float64
    k, s, p, d = kw["kernel"], kw["stride"], kw["padding"], kw["dilation"]
    if kw["op"] == "conv":
        w = torch.tensor(kw["weight"])[None]  # (1, C, k, k)
        out = F.conv2d(x, w, torch.tensor([kw["bias"]], dtype=torch.float64), stride=s, padding=p, dilation=d)
    elif kw["op"] == "maxpool":
        out = F.max_pool2d(x, k, s, p)
    else:
        out = F.avg_pool2d(x, k, s, p)
    return out[0].numpy()


@SETTINGS
@given(settings_())
def test_every_step_equals_torch(kw):
    problem = make_problem(**kw)
    expected = torch_out(kw)
    assert expected.shape == (problem.out_channels, *problem.out_shape)
    all_steps = steps(problem)
    assert len(all_steps) == expected.shape[1] * expected.shape[2]
    for s in all_steps:
        np.testing.assert_allclose(s.results, expected[:, s.row, s.col], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(output(problem), expected, rtol=1e-9, atol=1e-9)


@SETTINGS
@given(settings_(op="conv"))
def test_conv_products_sums_and_channel_total(kw):
    problem = make_problem(**kw)
    grid = padded(problem)
    for s in steps(problem):
        window = grid[:, list(s.rows)][:, :, list(s.cols)]
        np.testing.assert_array_equal(s.values, window)
        np.testing.assert_allclose(s.products, window * kw["weight"])
        np.testing.assert_allclose(s.channel_values, s.products.sum(axis=(1, 2)))
        assert s.total == pytest.approx(sum(s.channel_values))
        assert s.results[0] == pytest.approx(s.total + kw["bias"])
        assert np.diff(s.rows).tolist() == [kw["dilation"]] * (kw["kernel"] - 1)


@SETTINGS
@given(settings_(op="maxpool"))
def test_max_pool_chosen_cell_is_torchs_index(kw):
    problem = make_problem(**kw)
    _, indices = F.max_pool2d(torch.tensor(kw["x"])[None], kw["kernel"], kw["stride"], kw["padding"],
                              return_indices=True)
    _w, p = kw["x"].shape[2], kw["padding"]
    for s in steps(problem):
        for c, (r, col) in enumerate(s.chosen):
            assert kw["x"][c, r - p, col - p] == s.results[c]  # the chosen cell is a real input cell
            flat = int(indices[0, c, s.row, s.col])
            assert kw["x"][c].flat[flat] == kw["x"][c, r - p, col - p]  # same value as torch's winner


def test_worked_example_5x5_k3_s2_p1():
    x = np.arange(25, dtype=float).reshape(1, 5, 5)
    problem = make_problem("conv", x, np.ones((1, 3, 3)), stride=2, padding=1, bias=1.0)
    assert problem.out_shape == (3, 3)
    first = step(problem, 0)
    assert first.rows == (0, 1, 2) and first.cols == (0, 1, 2)
    assert first.total == 0 + 1 + 5 + 6 and first.results == (13.0,)
    assert size_terms(5, 3, 2, 1, 1) == {"n": 5, "k": 3, "s": 2, "p": 1, "d": 1, "top": 4, "out": 3}


def test_pool_ignores_bias_and_padding_never_wins():
    x = -np.ones((1, 3, 3))
    problem = make_problem("maxpool", x, kernel=2, padding=1, bias=5.0)
    assert all(s.results == (-1.0,) for s in steps(problem))


@pytest.mark.parametrize("kw, key", [
    (dict(op="conv", x=np.zeros((1, 3, 3)), weight=np.ones((1, 5, 5))), "steps.errors.kernel_too_big"),
    (dict(op="conv", x=np.zeros((1, 4, 4)), weight=np.ones((1, 3, 3)), dilation=3), "steps.errors.no_output"),
    (dict(op="maxpool", x=np.zeros((1, 5, 5)), kernel=3, padding=2), "steps.errors.pool_padding"),
    (dict(op="avgpool", x=np.zeros((1, 5, 5)), kernel=2, padding=2), "steps.errors.pool_padding"),
    (dict(op="maxpool", x=np.zeros((1, 5, 5)), kernel=2, dilation=2), "steps.errors.pool_dilation"),
    (dict(op="conv", x=np.zeros((2, 5, 5)), weight=np.ones((2, 3, 3))), "steps.errors.channels"),
    (dict(op="conv", x=np.zeros((1, 2, 5)), weight=np.ones((1, 1, 1))), "steps.errors.grid_size"),
    (dict(op="conv", x=np.zeros((1, 13, 13)), weight=np.ones((1, 1, 1))), "steps.errors.grid_size"),
    (dict(op="conv", x=np.zeros((3, 5, 5)), weight=np.ones((1, 3, 3))), "steps.errors.kernel_shape"),
    (dict(op="conv", x=np.zeros((1, 5, 5)), weight=np.ones((1, 3, 2))), "steps.errors.kernel_shape"),
    (dict(op="conv", x=np.zeros((1, 9, 9)), weight=np.ones((1, 7, 7))), "steps.range.kernel"),
    (dict(op="conv", x=np.zeros((1, 5, 5))), "steps.errors.no_kernel"),
    (dict(op="conv", x=np.full((1, 5, 5), np.nan), weight=np.ones((1, 3, 3))), "steps.errors.bad_values"),
    (dict(op="conv", x=np.zeros((1, 5, 5)), weight=np.ones((1, 3, 3)), stride=0), "steps.range.stride"),
    (dict(op="conv", x=np.zeros((1, 5, 5)), weight=np.ones((1, 3, 3)), padding=4), "steps.range.padding"),
    (dict(op="conv", x=np.zeros((1, 5, 5)), weight=np.ones((1, 3, 3)), dilation=1.5), "steps.range.dilation"),
    (dict(op="conv", x=np.zeros((1, 5, 5)), weight=np.ones((1, 3, 3)), bias=99.0), "steps.range.bias"),
    (dict(op="maxpool", x=np.zeros((1, 5, 5)), kernel=0), "steps.range.kernel"),
    (dict(op="upsample", x=np.zeros((1, 5, 5))), "steps.errors.bad_op"),
])
def test_invalid_settings_raise_our_error(kw, key):
    with pytest.raises(SpecError) as exc:
        make_problem(**kw)
    assert exc.value.key == key


@SETTINGS
@given(settings_(valid=False))
def test_random_settings_never_reach_a_torch_error(kw):
    """Whatever we accept, torch accepts; whatever torch rejects, we reject first with SpecError."""
    try:
        problem = make_problem(**kw)
    except SpecError:
        with pytest.raises(RuntimeError):
            torch_out(kw)
        return
    assert torch_out(kw).shape[1:] == problem.out_shape


def test_bad_step_index_is_a_spec_error():
    problem = make_problem("avgpool", np.zeros((1, 4, 4)), kernel=2, stride=2)
    with pytest.raises(SpecError) as exc:
        step(problem, 4)
    assert exc.value.key == "steps.errors.bad_index"
