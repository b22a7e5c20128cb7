"""Every scene's numbers against torch / OpenCV / scikit-learn, and every prediction's answer against an oracle.

The oracles never call the code that made the answer: pictures come from cv2, layers from torch.nn.functional,
statistics from scikit-learn, and the written answers of the lesson files are recomputed from their question.
"""
from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.signal import convolve2d
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from playground.image.decode import to_working
from playground.image.pipeline import prepare
from playground.image.samples import load_sample
from playground.layers.shapes import validate
from playground.lessons import builtin
from playground.lessons.steps import steps_problem
from playground.model import build_model, feature_maps
from playground.steps.problem import output

SCENES = [(lesson.id, scene) for lesson in builtin().values() for scene in lesson.scenes]
IDS = [f"{lesson_id}.{scene.id}" for lesson_id, scene in SCENES]
SOBEL_X = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)


def working(spec) -> np.ndarray:
    return to_working(load_sample(spec.image.sample), spec.image.long_side, spec.image.grayscale)[0]


def maps_of(spec) -> list[np.ndarray]:
    return feature_maps(spec.net, prepare(spec, working(spec)).tensor)


def grey01(spec) -> np.ndarray:
    """The scene's grey picture, min-max scaled to 0..1 by scikit-learn (the whole picture as one feature)."""
    g = working(spec)[..., 0].astype(np.float64)
    return MinMaxScaler().fit_transform(g.reshape(-1, 1)).reshape(g.shape).astype(np.float32)


# ---- every scene's numbers -------------------------------------------------------------------------------------

def _functional(x: torch.Tensor, spec) -> list[np.ndarray]:
    """The stack run with torch.nn.functional on the app's own weights (a second path to the same maps)."""
    model, out, maps = build_model(spec.net, x.shape[1]), x, []
    for layer, module in zip(spec.net.layers, model, strict=True):
        if layer.kind == "conv":
            pad = layer.kernel // 2 * layer.dilation if layer.same else layer.padding
            out = F.conv2d(out, module.weight, module.bias, layer.stride, pad, layer.dilation)
        elif layer.kind == "maxpool":
            out = F.max_pool2d(out, layer.kernel, layer.stride, layer.padding)
        elif layer.kind == "avgpool":
            out = F.avg_pool2d(out, layer.kernel, layer.stride, layer.padding)
        else:
            out = {"relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}[layer.kind](out)
        maps.append(out[0].detach().numpy())
    return maps


def _normalized_oracle(spec, img: np.ndarray) -> np.ndarray:
    flat = img.reshape(-1, img.shape[-1]).astype(np.float64)
    if spec.norm.method == "zscore":
        flat = StandardScaler().fit_transform(flat)
    elif spec.norm.method == "minmax01":
        flat = MinMaxScaler().fit_transform(flat)
    return flat.reshape(img.shape)


def _augmented_oracle(spec, img: np.ndarray) -> np.ndarray | None:
    """cv2's flip, then a right-angle turn counter-clockwise (None for other angles)."""
    a = spec.augment
    out = img if a.flip == "none" else cv2.flip(img, {"horizontal": 1, "vertical": 0, "both": -1}[a.flip])
    if a.angle % 90:
        return None
    for _ in range((a.angle // 90) % 4):
        out = cv2.rotate(out, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return out.reshape(out.shape[0], out.shape[1], -1)


@pytest.mark.parametrize(("lesson_id", "scene"), SCENES, ids=IDS)
def test_scene_numbers_match_an_independent_library(lesson_id, scene):
    spec = scene.settings
    if scene.view == "steps":
        pr = steps_problem(dict(scene.view_settings))
        x = torch.from_numpy(pr.x)[None]
        if pr.op == "conv":
            want = F.conv2d(x, torch.from_numpy(pr.weight)[None], torch.tensor([pr.bias], dtype=torch.float64),
                            pr.stride, pr.padding, pr.dilation)
        else:
            pool = F.max_pool2d if pr.op == "maxpool" else F.avg_pool2d
            want = pool(x, pr.kernel, pr.stride, pr.padding)
        np.testing.assert_allclose(output(pr), want[0].numpy(), atol=1e-9)
    elif scene.view in ("layers", "augment", "normalize"):
        img = working(spec)
        prepared = prepare(spec, img)
        aug = _augmented_oracle(spec, img)
        if aug is not None:
            np.testing.assert_array_equal(prepared.augmented, aug)
        np.testing.assert_allclose(prepared.normalized, _normalized_oracle(spec, prepared.augmented), atol=1e-4)
        if scene.view == "layers":
            mine = feature_maps(spec.net, prepared.tensor)
            for got, want in zip(mine, _functional(prepared.tensor, spec), strict=True):
                np.testing.assert_allclose(got, want, atol=1e-4)
    elif scene.view == "training":
        if spec.train.dataset == "digits":
            n = len(np.unique(load_digits().target))
            chance = F.cross_entropy(torch.zeros(1, n), torch.tensor([0])).item()
            assert chance == pytest.approx(math.log(10), abs=1e-6)  # the 2.30 a digits curve starts from
            validate(spec.net, (1, spec.train.size, spec.train.size), pictures=False)


# ---- every prediction's answer ---------------------------------------------------------------------------------

def _corner(fig) -> str:
    n, (r, c) = fig["n"], fig["marked"]
    grid = np.zeros((n, n), np.uint8)
    grid[r, c] = 255
    if fig["flip"] != "none":
        grid = cv2.flip(grid, {"horizontal": 1, "vertical": 0, "both": -1}[fig["flip"]])
    grid = np.rot90(grid, (fig["angle"] // 90) % 4)  # counter-clockwise, like a positive angle
    r, c = np.argwhere(grid == 255)[0]
    return ("bottom" if r > (n - 1) / 2 else "top") + "_" + ("right" if c > (n - 1) / 2 else "left")


def _norm_stat(fig) -> float:
    x = np.array(fig["values"], np.float64).reshape(-1, 1)
    scaled = {"minmax01": MinMaxScaler((0, 1)), "minmax11": MinMaxScaler((-1, 1)),
              "zscore": StandardScaler()}[fig["method"]].fit_transform(x)
    return float({"min": np.min, "max": np.max, "mean": np.mean}[fig["stat"]](scaled))


def _receptive_field(spec, layer: int) -> int:
    """Input rows one centre pixel of `layer` depends on: the gradient's support through ones-kernels (torch)."""
    x = torch.ones(1, 1, 96, 96, requires_grad=True)
    out = x
    for spec_layer in spec.net.layers[:layer]:
        if spec_layer.kind == "conv":
            out = F.conv2d(out, torch.ones(1, 1, spec_layer.kernel, spec_layer.kernel), stride=spec_layer.stride,
                           dilation=spec_layer.dilation)
        elif spec_layer.kind in ("maxpool", "avgpool"):
            out = F.avg_pool2d(out, spec_layer.kernel, spec_layer.stride)  # the same window, a gradient everywhere
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    rows = np.nonzero(x.grad[0, 0].abs().sum(1).numpy())[0]
    return int(rows.max() - rows.min() + 1)


def _by_exercise(scene):
    pred, spec = scene.prediction, scene.settings
    q = pred.source
    if pred.exercise == "steps.out_size":
        pr = steps_problem(dict(scene.view_settings))
        x = torch.zeros(1, *pr.x.shape)
        if pr.op == "conv":
            return F.conv2d(x, torch.zeros(1, pr.x.shape[0], pr.kernel, pr.kernel), None, pr.stride, pr.padding,
                            pr.dilation).shape[-1]
        return F.max_pool2d(x, pr.kernel, pr.stride, pr.padding).shape[-1]
    if pred.exercise == "layers.params":
        layer = q.figure["net"].layers[q.figure["layer"] - 1]
        conv = torch.nn.Conv2d(q.figure["in_shape"][0], layer.out_channels, layer.kernel, bias=layer.bias)
        return sum(p.numel() for p in conv.parameters())
    if pred.exercise == "layers.receptive_field":
        return _receptive_field(spec, q.figure["layer"])
    if pred.exercise == "image.corner":
        return _corner(q.figure)
    if pred.exercise == "image.normalize":
        return _norm_stat(q.figure)
    if pred.exercise == "training.chance":
        return 1 / len(np.unique(load_digits().target))
    raise AssertionError(f"no oracle for exercise {pred.exercise}")


def _map_answer(scene) -> str:
    """The option whose picture equals the oracle's picture of what the scene describes."""
    spec = scene.settings
    if scene.view == "augment":
        want = _augmented_oracle(spec, working(spec))
        pictures = {o.id: prepare(o.settings, working(o.settings)).augmented for o in scene.prediction.choices}
        return next(k for k, v in pictures.items() if v.shape == want.shape and np.array_equal(v, want))
    last = {o.id: maps_of(o.settings)[-1] for o in scene.prediction.choices}
    edges = cv2.filter2D(grey01(spec), cv2.CV_32F, SOBEL_X, borderType=cv2.BORDER_CONSTANT)[1:-1, 1:-1]
    if scene.id == "kernel_picks":
        want = edges
    elif scene.id == "thin_lines":
        want = F.max_pool2d(torch.from_numpy(np.maximum(edges, 0))[None, None], 4, 4)[0, 0].numpy()
    elif scene.id == "relu_map":
        conv_only = next(v for k, v in last.items() if len(next(o for o in scene.prediction.choices
                                                                  if o.id == k).settings.net.layers) == 1)
        want = np.maximum(conv_only, 0)
    else:
        raise AssertionError(f"no oracle for map scene {scene.id}")
    found = [k for k, v in last.items() if v[0].shape == want.shape[-2:] and np.allclose(v[0] if want.ndim == 2 else v,
                                                                                         want, atol=1e-4)]
    assert len(found) == 1, (scene.id, found)
    return found[0]


def _grad(f, at: float) -> float:
    x = torch.tensor(at, requires_grad=True)
    f(x).backward()
    return float(x.grad)


def _two_convs_are_one() -> str:
    rng = np.random.default_rng(0)
    a, b, x = rng.normal(size=(3, 3)), rng.normal(size=(3, 3)), rng.normal(size=(12, 12))
    t = lambda v: torch.from_numpy(v)[None, None]  # noqa: E731
    twice = F.conv2d(F.conv2d(t(x), t(a)), t(b))
    once = F.conv2d(t(x), t(convolve2d(a, b, mode="full")))
    return "one5" if torch.allclose(twice, once) else "more"


def _sgd_steps(rate: float) -> float:
    w = torch.tensor(1.0, requires_grad=True)
    opt = torch.optim.SGD([w], lr=rate)
    for _ in range(6):
        opt.zero_grad()
        (w ** 2).backward()
        opt.step()
    return abs(float(w.detach()))


def _momentum_ratio() -> float:
    w = torch.tensor(0.0, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.01, momentum=0.9)
    before = 0.0
    for _ in range(300):
        before = float(w.detach())
        opt.zero_grad()
        w.backward()  # loss = w: the slope is always 1
        opt.step()
    return (before - float(w.detach())) / 0.01


def _adam_first_step() -> float:
    w = torch.tensor(0.0, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.001)
    (50 * w).backward()
    opt.step()
    return abs(float(w.detach()))


def _grad_ratio_raw_vs_scaled() -> str:
    digits = load_digits()
    raw = torch.tensor(digits.images[:64] * 16, dtype=torch.float32)[:, None]  # 0..255
    scaled = torch.tensor(StandardScaler().fit_transform(digits.images[:64].reshape(64, -1)).reshape(64, 8, 8),
                          dtype=torch.float32)[:, None]
    target = torch.tensor(digits.target[:64])
    norms = []
    for x in (raw, scaled):
        torch.manual_seed(0)
        conv, head = torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.Linear(8 * 8 * 8, 10)
        loss = F.cross_entropy(head(F.relu(conv(x)).flatten(1)), target)
        loss.backward()
        norms.append(float(conv.weight.grad.norm()))
    ratio = norms[0] / norms[1]
    return "bigger" if ratio > 10 else "smaller" if ratio < 0.1 else "same"


def _flip_versions() -> int:
    img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    versions = {img.tobytes(), cv2.flip(img, 1).tobytes(), cv2.flip(img, 0).tobytes(), cv2.flip(img, -1).tobytes()}
    return len(versions)


def _facing_right() -> str:
    cat = np.zeros((6, 8), np.uint8)
    cat[1:3, 0:2] = 255  # the head, left
    cat[2:5, 2:7] = 120  # the body
    right = np.zeros_like(cat)
    right[1:3, 6:8] = 255
    right[2:5, 1:6] = 120
    options = {"hflip": cv2.flip(cat, 1), "vflip": cv2.flip(cat, 0), "rot90": cv2.rotate(cat, cv2.ROTATE_90_COUNTERCLOCKWISE)}
    return next(k for k, v in options.items() if v.shape == right.shape and np.array_equal(v, right))


def _held_out() -> int:
    labels = np.repeat([0, 1, 2], 15)
    _, val = train_test_split(labels, test_size=0.2, stratify=labels, random_state=0)
    return len(val)


def _corners_after_turn(scene) -> str:
    spec = scene.settings
    img = working(spec)
    h, w = img.shape[:2]
    turned = cv2.warpAffine(img, cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), spec.augment.angle, 1.0), (w, h),
                            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    mine = prepare(spec, img).augmented
    corners = [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)]
    assert all(not turned[r, c].any() for r, c in corners)
    return "black" if all(not mine[r, c].any() for r, c in corners) else "edge"


ACTIVATIONS = {"relu": F.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
WRITTEN = {  # (lesson, scene) -> the oracle of a prediction written in the file
    ("pooling", "max_window"): lambda s: float(F.max_pool2d(torch.from_numpy(steps_problem(dict(s.view_settings)).x)[None],
                                                            2, 2)[0, 0, 0, -1]),
    ("pooling", "avg_window"): lambda s: float(F.avg_pool2d(torch.from_numpy(steps_problem(dict(s.view_settings)).x)[None],
                                                            2, 2)[0, 0, 0, -1]),
    ("pooling", "halves"): lambda s: torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2))(
        torch.zeros(1, 3, *working(s.settings).shape[:2])).shape[2],
    ("pooling", "no_weights"): lambda s: sum(p.numel() for p in torch.nn.MaxPool2d(2, 2).parameters()),
    ("pooling", "small_shift"): lambda s: "same" if torch.equal(
        F.max_pool2d(torch.tensor([[[[1.0, 0], [0, 0]]]]), 2), F.max_pool2d(torch.tensor([[[[0, 1.0], [0, 0]]]]), 2))
        else "moves",
    ("activation_functions", "relu_floor"): lambda s: float(F.relu(torch.linspace(-5, 5, 1001)).min()),
    ("activation_functions", "sigmoid_zero"): lambda s: float(torch.sigmoid(torch.tensor(0.0))),
    ("activation_functions", "tanh_negative"): lambda s: next(k for k, f in {"relu": F.relu, "sigmoid": torch.sigmoid,
                                                                      "tanh": torch.tanh}.items()
                                                     if abs(float(f(torch.tensor(-2.0))) + 0.96) < 0.01),
    ("activation_functions", "flat_slope"): lambda s: _grad(torch.sigmoid, 5.0),
    ("activation_functions", "gradient_race"): lambda s: max(ACTIVATIONS.items(), key=lambda kv: _grad(kv[1], 5.0))[0],
    ("activation_functions", "why_bend"): lambda s: _two_convs_are_one(),
    ("augmentation", "corners"): _corners_after_turn,
    ("augmentation", "both_flips"): lambda s: "turn180" if np.array_equal(
        cv2.flip(working(s.settings), -1), cv2.rotate(working(s.settings), cv2.ROTATE_180)) else "nothing",
    ("augmentation", "when_it_helps"): lambda s: _facing_right(),
    ("normalization", "mean_after"): lambda s: float(np.abs(StandardScaler().fit_transform(
        working(s.settings).reshape(-1, 3).astype(np.float64)).mean(0)).max()),
    ("normalization", "minmax_value"): lambda s: float(
        MinMaxScaler().fit(np.array([[40.0], [200.0]])).transform([[120.0]])[0, 0]),
    ("normalization", "why_network"): lambda s: _grad_ratio_raw_vs_scaled(),
    ("loss_optimizers", "surprise"): lambda s: F.cross_entropy(torch.log(torch.tensor([[0.9, 0.1]])), torch.tensor([0])).item(),
    ("loss_optimizers", "chance_loss"): lambda s: F.cross_entropy(torch.zeros(1, 10), torch.tensor([3])).item(),
    ("loss_optimizers", "momentum"): lambda s: _momentum_ratio(),
    ("loss_optimizers", "adam_step"): lambda s: _adam_first_step(),
    ("loss_optimizers", "too_big"): lambda s: next(k for k, r in {"r01": 0.1, "r05": 0.5, "r15": 1.5}.items()
                                                   if _sgd_steps(r) > 1),
    ("own_pictures", "classes"): lambda s: 100 / len(np.unique(np.repeat([0, 1, 2], 15))),
    ("own_pictures", "held_out"): lambda s: _held_out(),
    ("own_pictures", "more_versions"): lambda s: _flip_versions(),
}
PREDICTING = [(lesson_id, scene) for lesson_id, scene in SCENES if scene.prediction is not None]


@pytest.mark.parametrize(("lesson_id", "scene"), PREDICTING, ids=[f"{i}.{s.id}" for i, s in PREDICTING])
def test_every_prediction_answer_matches_its_oracle(lesson_id, scene):
    pred = scene.prediction
    if pred.exercise is not None:
        want = _by_exercise(scene)
    elif pred.kind == "map":
        want = _map_answer(scene)
    else:
        assert (lesson_id, scene.id) in WRITTEN, "every written prediction has an oracle"
        want = WRITTEN[(lesson_id, scene.id)](scene)
    if pred.kind == "number" and not isinstance(want, str):
        assert pred.is_right(want if isinstance(want, int) else float(want)) or \
            abs(float(want) - float(pred.answer)) <= pred.tolerance + 1e-9, (want, pred.answer)
    else:
        assert want == pred.answer


def test_the_syllabus_is_there():
    lessons = builtin()
    assert {"convolution", "pooling", "activation_functions", "augmentation", "normalization", "loss_optimizers",
            "own_pictures"} <= set(lessons)
    for lesson in lessons.values():
        assert 30 <= lesson.minutes <= 45, lesson.id
        assert all(s.teacher_notes.en and s.teacher_notes.zh for s in lesson.scenes), lesson.id
        assert sum(s.prediction is not None for s in lesson.scenes) >= 3, lesson.id
