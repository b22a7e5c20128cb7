"""A new picture prepared like the data set (playground/training/prepare.py), tested against the digits data itself."""
import cv2
import numpy as np
import pytest
from sklearn.datasets import load_digits

from playground.image.samples import load_sample
from playground.spec import PipelineSpec, TrainSpec
from playground.training import datasets, familiar, prepare
from playground.training import results as R
from playground.training.ownset import OwnSet
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer

DIGITS = load_digits()
SPEC = PipelineSpec().set("train.epochs", 6)  # the default digits run: 16 px, seed 0


def grid_of(i: int) -> np.ndarray:
    """sklearn digit i as the data set stores it: (8, 8) uint8, 0..16 -> 0..255."""
    return np.rint(DIGITS.images[i] * 255.0 / 16.0).astype(np.uint8)


def photo_of(grid: np.ndarray, rng: np.random.Generator, dark_ink: bool = True) -> np.ndarray:
    """A (260, 320, 3) "photo" of the digit: smooth strokes, any size, anywhere, on paper, with sensor noise."""
    side = int(rng.integers(60, 170))
    big = cv2.resize(grid, (side, side), interpolation=cv2.INTER_LINEAR).astype(np.float64)
    paper, ink = (230.0, 30.0) if dark_ink else (25.0, 225.0)  # the same contrast either way
    img = np.full((260, 320), paper)
    y, x = int(rng.integers(0, 260 - side)), int(rng.integers(0, 320 - side))
    img[y:y + side, x:x + side] = paper + (ink - paper) * big / 255.0
    img = np.clip(img + rng.normal(0, 8, img.shape), 0, 255).astype(np.uint8)
    return np.repeat(img[..., None], 3, axis=2)


@pytest.fixture(scope="module")
def digit_run():
    """A digits model trained as the app does by default (6 epochs), its data set and its validation indices."""
    trainer = Trainer(SPEC, queue=TrainQueue(1)).start()
    assert trainer.join(120) and trainer.error is None
    _, val = datasets.split(len(DIGITS.target), SPEC.train.val_fraction, SPEC.train.seed)
    return trainer.trained_model(), trainer.data, val


def test_a_digit_photo_comes_back_as_the_data_sets_own_8x8_picture():
    rng = np.random.default_rng(1)
    errors = []
    for i in range(150):
        got = prepare.as_digit(photo_of(grid_of(i), rng), 8)
        assert got.pixels.shape == (8, 8, 1) and got.pixels.dtype == np.uint8
        assert got.note.key == "prepare.inverted"  # dark ink on light paper: made white on black
        errors.append(np.abs(got.pixels[..., 0].astype(int) - grid_of(i)).mean() * 16 / 255)
    assert np.mean(errors) < 2.0  # ink pixels per 4×4 cell, out of 16
    blank = np.abs(prepare.as_digit(np.zeros((50, 80, 3), np.uint8), 8).pixels).max()
    assert blank == 0


def test_ink_polarity_does_not_matter():
    gaps = []
    for i in range(20):
        grid = grid_of(i)
        dark = prepare.as_digit(photo_of(grid, np.random.default_rng(i), dark_ink=True), 16)
        light = prepare.as_digit(photo_of(grid, np.random.default_rng(i), dark_ink=False), 16)
        assert light.note is None and dark.note.key == "prepare.inverted"
        gaps.append(np.abs(dark.pixels.astype(int) - light.pixels).mean())  # grey levels, 0..255
    assert np.mean(gaps) < 10 and max(gaps) < 40  # un-inverted, ink and paper would swap: gaps over 100


def test_the_sample_digit_is_enlarged_exactly_as_the_data_set_is():
    got = prepare.as_digit(load_sample("digit"), 16)  # the Image lab's "Handwritten digit": sklearn digit 0
    grid = prepare.counts(prepare.even_strokes(prepare.bitmap(*_grey_mask(load_sample("digit")))))
    expected = cv2.resize(grid, (16, 16), interpolation=cv2.INTER_LINEAR)  # datasets.digits' enlargement
    np.testing.assert_array_equal(got.pixels[..., 0], expected)
    assert [key for key, _ in got.steps] == ["prepare.step_grey", "prepare.step_ink", "prepare.step_bitmap",
                                            "prepare.step_grid"]


def _grey_mask(rgb):
    grey, _ = prepare.ink_white(prepare._grey(rgb))
    mask, level = prepare.ink_mask(grey)
    return grey, mask, level


def test_prepared_digit_photos_are_predicted_right_and_the_plain_resize_is_not(digit_run):
    model, ds, val = digit_run
    rng = np.random.default_rng(7)
    right = plain = 0
    for i in val[:120]:
        photo = photo_of(grid_of(i), rng)
        got = prepare.for_dataset(photo, ds, "digits")
        right += int(R.predict(model, ds.to_input(got.pixels[None]))[0].argmax() == DIGITS.target[i])
        naive = datasets.fit_image(photo, ds)  # the whole photo squeezed to 16×16, dark ink on light paper
        plain += int(R.predict(model, ds.to_input(naive[None]))[0].argmax() == DIGITS.target[i])
    assert right >= 0.85 * 120
    assert plain <= 0.3 * 120


def test_a_photo_on_the_digit_model_is_unlike_the_training_pictures(digit_run):
    model, ds, val = digit_run
    cal = prepare.calibration_pictures(ds, "digits")
    assert cal.shape == ds.val_pixels.shape
    fam = familiar.fit(ds, cal, R.predict(model, ds.to_input(cal)))
    for name in ("china", "flower"):
        got = prepare.for_dataset(load_sample(name), ds, "digits")
        verdict = familiar.judge(fam, got.pixels, R.predict(model, ds.to_input(got.pixels[None]))[0])
        assert verdict.kind == "unlike" and verdict.distance > verdict.distance_limit
    rng, kinds = np.random.default_rng(3), []
    for i in val[:100]:
        got = prepare.for_dataset(photo_of(grid_of(i), rng), ds, "digits")
        kinds.append(familiar.judge(fam, got.pixels, R.predict(model, ds.to_input(got.pixels[None]))[0]).kind)
    assert kinds.count("unlike") <= 5 and kinds.count("like") >= 80


@pytest.mark.parametrize("picture", [np.zeros((1, 1, 3), np.uint8), np.full((40, 30, 1), 200, np.uint8),
                                     np.random.default_rng(0).integers(0, 256, (3000, 40, 3), dtype=np.uint8),
                                     np.eye(64, dtype=np.uint8)[..., None].repeat(3, 2) * 255])
def test_any_picture_gives_the_data_sets_layout(picture):
    ds = datasets.load(TrainSpec(size=16), "none")
    got = prepare.for_dataset(picture, ds, "digits")
    assert got.pixels.shape == (16, 16, 1) and got.pixels.dtype == np.uint8


def test_own_set_pictures_are_prepared_as_the_set_stores_and_resizes_them():
    rng = np.random.default_rng(2)
    own = OwnSet(["a", "b"])
    photos = [rng.integers(0, 256, (90, 120, 3), dtype=np.uint8) for _ in range(12)]
    for k, photo in enumerate(photos):
        own.add_pixels(k % 2, photo)
    for colour in (True, False):
        spec = TrainSpec(dataset="yours", size=16, colour=colour, val_fraction=0.5)
        ds = datasets.load(spec, "none", own=own)
        oracle = datasets._own_dataset(own, spec, "none")  # the data set's own path
        _, labels, _ = own.arrays()  # class 0's pictures first, then class 1's
        train, _ = datasets.stratified_split(labels, 0.5, spec.seed)
        order = list(range(0, 12, 2)) + list(range(1, 12, 2))
        photo = photos[order[train[0]]]
        got = prepare.for_dataset(photo, ds, "yours")
        assert got.pixels.shape == ds.train_pixels.shape[1:]
        np.testing.assert_array_equal(got.pixels, oracle.train_pixels[0])


def test_shapes_keep_the_plain_resize():
    ds = datasets.load(TrainSpec(dataset="shapes", size=16, colour=True), "none")
    photo = np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8)
    np.testing.assert_array_equal(prepare.for_dataset(photo, ds, "shapes").pixels, datasets.fit_image(photo, ds))
