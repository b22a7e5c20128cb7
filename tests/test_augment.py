"""Augmentation against OpenCV as the oracle: cv2.flip codes and getRotationMatrix2D + warpAffine."""
import cv2
import numpy as np
import pytest

from playground.image import augment as A
from playground.spec import AugmentSpec


@pytest.fixture
def img():
    return np.random.default_rng(1).integers(0, 256, (37, 53, 3), dtype=np.uint8)


@pytest.mark.parametrize("kind, code", [("horizontal", 1), ("vertical", 0), ("both", -1)])
def test_flip_matches_cv2_codes(img, kind, code):
    np.testing.assert_array_equal(A.flip(img, kind), cv2.flip(img, code))


def test_flip_semantics(img):
    np.testing.assert_array_equal(A.flip(img, "horizontal"), img[:, ::-1])
    np.testing.assert_array_equal(A.flip(img, "vertical"), img[::-1])
    np.testing.assert_array_equal(A.flip(img, "both"), img[::-1, ::-1])
    assert A.flip(img, "none") is img


def test_grey_keeps_channel_axis(img):
    grey = img[..., :1]
    assert A.flip(grey, "both").shape == grey.shape
    assert A.rotate(grey, 30).shape == grey.shape
    assert A.rotate(grey, 90, expand=True).shape == (53, 37, 1)


@pytest.mark.parametrize("border", ["constant", "reflect", "replicate"])
@pytest.mark.parametrize("angle", [-135, -30, 17, 90, 180])
def test_rotate_matches_cv2(img, angle, border):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    flag = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}[border]
    expected = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=flag)
    np.testing.assert_array_equal(A.rotate(img, angle, border), expected)


def test_rotate_90_equals_cv2_rotate_exactly_on_square():
    sq = np.random.default_rng(2).integers(0, 256, (20, 20, 3), dtype=np.uint8)
    np.testing.assert_array_equal(A.rotate(sq, 90), cv2.rotate(sq, cv2.ROTATE_90_COUNTERCLOCKWISE))
    np.testing.assert_array_equal(A.rotate(sq, -90), cv2.rotate(sq, cv2.ROTATE_90_CLOCKWISE))


def test_expand_keeps_every_pixel():
    """A white image rotated 45° on an enlarged canvas keeps all its mass; a same-size canvas cuts corners."""
    white = np.full((40, 60, 1), 255, np.uint8)
    expanded = A.rotate(white, 45, expand=True)
    cut = A.rotate(white, 45)
    assert expanded.shape[0] > 60 and expanded.shape[1] > 60
    assert abs(expanded.astype(float).sum() / white.astype(float).sum() - 1) < 0.03
    assert cut.astype(float).sum() < 0.8 * white.astype(float).sum()


def test_expand_90_is_exact_transpose_rotation(img):
    np.testing.assert_array_equal(A.rotate(img, 90, expand=True), cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE))


def test_zero_angle_is_identity(img):
    assert A.rotate(img, 0) is img
    np.testing.assert_array_equal(A.rotate(img, 360), img)


def test_random_params_seeded_and_bounded():
    spec = AugmentSpec(mode="random", p_hflip=0.5, p_vflip=0.5, max_angle=20, seed=7, count=16)
    a, b = A.random_params(spec), A.random_params(spec)
    assert a == b
    assert a != A.random_params(AugmentSpec(mode="random", p_hflip=0.5, p_vflip=0.5, max_angle=20, seed=8, count=16))
    assert all(abs(p.angle) <= 20 for p in a) and len(a) == 16
    assert len({p.flip for p in a}) > 1


def test_random_probability_extremes():
    never = A.random_params(AugmentSpec(mode="random", p_hflip=0.0, p_vflip=0.0, max_angle=0, count=16))
    always = A.random_params(AugmentSpec(mode="random", p_hflip=1.0, p_vflip=1.0, max_angle=0, count=16))
    assert {p.flip for p in never} == {"none"} and {p.angle for p in never} == {0.0}
    assert {p.flip for p in always} == {"both"}


BORDERS = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}
FLIP_CODES = {"horizontal": 1, "vertical": 0, "both": -1}


def cv2_flip_rotate(img, flip: str, angle: float, border: str = "constant"):
    """The oracle: cv2.flip, then a rotation about the centre with getRotationMatrix2D + warpAffine."""
    out = cv2.flip(img, FLIP_CODES[flip]) if flip != "none" else img
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    return cv2.warpAffine(out, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=BORDERS[border])


def test_augment_fixed_and_random_modes(img):
    fixed = AugmentSpec(flip="horizontal", angle=30, border="reflect")
    np.testing.assert_array_equal(A.augment(img, fixed), cv2_flip_rotate(img, "horizontal", 30, "reflect"))
    # Random mode hands on the first draw of numpy's default_rng(seed): the horizontal flip's coin, the vertical
    # flip's coin, then a uniform angle in ±max_angle rounded to 0.1 degree.
    rnd = AugmentSpec(mode="random", p_hflip=0.5, p_vflip=0.5, max_angle=40, seed=3)
    rng = np.random.default_rng(3)
    h, v = rng.random() < 0.5, rng.random() < 0.5
    angle = round(float(rng.uniform(-40, 40)), 1)
    flip = {(False, False): "none", (True, False): "horizontal", (False, True): "vertical", (True, True): "both"}[h, v]
    np.testing.assert_array_equal(A.augment(img, rnd), cv2_flip_rotate(img, flip, angle))
