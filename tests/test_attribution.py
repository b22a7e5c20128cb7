"""Attribution with Captum: each view finds a planted patch; LayerGradCam equals the former hand-written Grad-CAM."""
import cv2
import numpy as np
import pytest
import torch
from torch import nn

from playground.model import build_classifier
from playground.spec import LayerSpec as L
from playground.spec import NetSpec
from playground.training import attribution as A
from playground.training import results as R
from playground.training.trainer import DEFAULT_TRAIN_STACK

SIDE = 16


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One torch thread, as the app's trainings use: on the shared 2-core machine two threads spin and crawl."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)

PATCH = (slice(2, 7), slice(3, 8))  # the red square: what the model looks for
DECOY = (slice(9, 14), slice(9, 14))  # an equally bright green square: present, but the model ignores it


def red_detector() -> nn.Sequential:
    """Hand-set: channel 0 fires on red, channel 1 on green; class 1 sums the red channel, class 0 its negative."""
    conv = nn.Conv2d(3, 2, 3, padding=1)
    head = nn.Linear(2 * SIDE * SIDE, 2)
    with torch.no_grad():
        conv.weight.zero_()
        conv.bias.fill_(-0.2)  # faint noise stays below zero
        conv.weight[0, 0, 1, 1], conv.weight[1, 1, 1, 1] = 1.0, 1.0  # centre taps: red -> 0, green -> 1
        head.weight.zero_()
        head.bias.zero_()
        head.weight[1, : SIDE * SIDE] = 1.0 / 25
        head.weight[0, : SIDE * SIDE] = -1.0 / 25
    return nn.Sequential(conv, nn.ReLU(), nn.Flatten(), head).eval()


def scene() -> np.ndarray:
    """(3, SIDE, SIDE): faint noise, a red patch and a green decoy of the same brightness."""
    x = np.random.default_rng(0).uniform(0, 0.1, (3, SIDE, SIDE)).astype(np.float32)
    x[0][PATCH] = 1.0
    x[1][DECOY] = 1.0
    return x


@pytest.mark.parametrize("method", A.METHODS)
def test_every_view_highlights_the_planted_patch_not_the_decoy(method):
    model, x = red_detector(), scene()
    assert model(torch.from_numpy(x)[None]).argmax().item() == 1
    cam, used = A.attribute(model, x, 1, method)
    assert used == method and cam.shape == (SIDE, SIDE) and cam.dtype == np.float32
    assert 0 <= cam.min() and cam.max() == pytest.approx(1.0)
    background = np.ones((SIDE, SIDE), bool)
    background[PATCH] = background[DECOY] = False
    assert cam[PATCH].mean() > 3 * cam[DECOY].mean() and cam[PATCH].mean() > 3 * cam[background].mean()


def hand_written_grad_cam(model: nn.Sequential, x: np.ndarray, target: int) -> np.ndarray:
    """The Grad-CAM the app had before Captum (regression oracle): activations after the cut, mean gradients."""
    cut = A.last_conv_index(model)
    inp = torch.from_numpy(x)[None]
    acts = model[: cut + 1](inp)
    acts.retain_grad()
    model[cut + 1:](acts)[0, target].backward()
    weights = acts.grad[0].mean(dim=(1, 2))
    cam = torch.relu((weights[:, None, None] * acts[0]).sum(0)).detach().numpy()
    model.zero_grad(set_to_none=True)
    cam = cv2.resize(cam.astype(np.float32), (x.shape[2], x.shape[1]), interpolation=cv2.INTER_LINEAR)
    return cam / cam.max() if cam.max() > 0 else cam


@pytest.mark.parametrize("layers", [DEFAULT_TRAIN_STACK,
                                    (L("conv", 8, 3), L("maxpool", kernel=2, stride=2), L("conv", 6, 3, same=True),
                                     L("batchnorm"), L("leakyrelu", slope=0.1), L("maxpool", kernel=2, stride=2))])
def test_captum_grad_cam_equals_the_hand_written_formula(layers):
    model = build_classifier(NetSpec(layers=layers, seed=7), 3, (SIDE, SIDE), 4).eval()
    cut = A.last_conv_index(model)
    assert isinstance(model[cut], (nn.ReLU, nn.LeakyReLU))  # read after the elementwise layers, as before
    x = np.random.default_rng(1).normal(size=(3, SIDE, SIDE)).astype(np.float32)
    for target in range(4):
        expected = hand_written_grad_cam(model, x, target)
        if expected.max() == 0:
            continue
        cam, method = R.saliency(model, x, target)
        assert method == "gradcam"
        np.testing.assert_allclose(cam, expected, atol=1e-5)


def test_without_a_conv_the_fallback_is_the_input_gradient():
    model = build_classifier(NetSpec(layers=(L("relu"),)), 1, (8, 8), 3).eval()
    x = np.random.default_rng(2).normal(size=(1, 8, 8)).astype(np.float32)
    cam, method = R.saliency(model, x, 2)
    inp = torch.from_numpy(x)[None].requires_grad_(True)
    model(inp)[0, 2].backward()
    expected = inp.grad[0].abs().sum(0).numpy()
    assert method == "gradient"
    np.testing.assert_allclose(cam, expected / expected.max(), atol=1e-6)


def test_an_all_negative_grad_cam_falls_back_too():
    model = red_detector()
    x = scene()
    x[0] = 0.0  # no red at all: the red channel is silent, Grad-CAM for "red" is zero everywhere
    cam, method = A.attribute(model, x, 1, "gradcam")
    assert method == "gradient" and cam.shape == (SIDE, SIDE)


@pytest.mark.parametrize("shape", [(1, 8, 8), (3, 32, 32)])
def test_views_work_on_grey_and_colour_inputs_of_any_training_size(shape):
    model = build_classifier(NetSpec(layers=DEFAULT_TRAIN_STACK), shape[0], shape[1:], 3).eval()
    x = np.random.default_rng(3).normal(size=shape).astype(np.float32)
    for method in A.METHODS:
        cam, _ = R.saliency(model, x, 1, method)
        assert cam.shape == shape[1:] and 0 <= cam.min() and cam.max() <= 1 + 1e-6
    assert all(p.grad is None for p in model.parameters())  # nothing accumulated in the model's gradients


def test_occlusion_window_scales_with_the_input():
    assert A.occlusion_window(8, 8) == (2, 1) and A.occlusion_window(32, 32) == (6, 3)
    with pytest.raises(ValueError):
        A.attribute(red_detector(), scene(), 1, "lime")


def patch_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, list]:
    """(n, 3, SIDE, SIDE) noise pictures, each with a green decoy square; label 1 also has a red square."""
    x = rng.uniform(0, 0.3, (n, 3, SIDE, SIDE)).astype(np.float32)
    y, where = rng.integers(0, 2, n), []
    for i in range(n):
        (r0, c0), (r1, c1) = rng.integers(0, SIDE - 4, 2), rng.integers(0, SIDE - 4, 2)
        x[i, 1, r1:r1 + 4, c1:c1 + 4] = 1.0
        if y[i]:
            x[i, 0, r0:r0 + 4, c0:c0 + 4] = 1.0
        where.append(((slice(r0, r0 + 4), slice(c0, c0 + 4)), (slice(r1, r1 + 4), slice(c1, c1 + 4))))
    return x, y, where


def test_a_trained_model_is_seen_looking_at_the_patch():
    torch.manual_seed(0)
    model = build_classifier(NetSpec(layers=(L("conv", 4, 3, same=True), L("relu"), L("maxpool", kernel=2, stride=2)),
                                     seed=1), 3, (SIDE, SIDE), 2)
    rng = np.random.default_rng(0)
    x, y, _ = patch_data(256, rng)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(150):
        idx = torch.from_numpy(rng.integers(0, 256, 32))
        loss = nn.functional.cross_entropy(model(torch.from_numpy(x)[idx]), torch.from_numpy(y)[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    test_x, test_y, where = patch_data(64, np.random.default_rng(1))
    assert (model(torch.from_numpy(test_x)).argmax(1).numpy() == test_y).mean() > 0.95
    for method in A.METHODS:
        wins = [(cam := A.attribute(model, test_x[i], 1, method)[0])[where[i][0]].mean() > cam[where[i][1]].mean()
                for i in np.flatnonzero(test_y)[:10]]
        assert sum(wins) >= 9, (method, wins)
