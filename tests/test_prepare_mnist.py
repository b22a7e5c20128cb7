"""A photo of a handwritten digit prepared like the MNIST digits (prepare.as_mnist), checked with the shipped
digit network and scipy's centre of mass as oracles."""
import cv2
import numpy as np
import torch
from scipy import ndimage

from playground.training import datasets, digit_net, prepare


def photo_of(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A (260, 320, 3) "photo" of a 28×28 digit: dark ink on light paper, any size, anywhere, with sensor noise."""
    side = int(rng.integers(60, 170))
    big = cv2.resize(digit, (side, side), interpolation=cv2.INTER_LINEAR).astype(np.float64)
    img = np.full((260, 320), 230.0)
    y, x = int(rng.integers(0, 260 - side)), int(rng.integers(0, 320 - side))
    img[y:y + side, x:x + side] = 230.0 + (30.0 - 230.0) * big / 255.0
    img = np.clip(img + rng.normal(0, 8, img.shape), 0, 255).astype(np.uint8)
    return np.repeat(img[..., None], 3, axis=2)


def predict(pixels: np.ndarray, ds) -> int:
    with torch.no_grad():
        return int(digit_net.shipped_model()(torch.from_numpy(ds.to_input(pixels[None]))).argmax())


def test_digit_photos_prepared_like_mnist_are_read_right_and_the_plain_resize_is_not():
    ds, rng = digit_net.data(), np.random.default_rng(1)
    right = plain = 0
    for i in range(100):
        photo = photo_of(ds.val_pixels[i][..., 0], rng)
        got = prepare.for_dataset(photo, ds, "mnist")
        assert got.pixels.shape == (28, 28, 1) and got.note.key == "prepare.inverted"
        right += predict(got.pixels, ds) == ds.val_labels[i]
        plain += predict(datasets.fit_image(photo, ds), ds) == ds.val_labels[i]
    assert right >= 85 and plain <= 30


def test_the_ink_fits_20x20_and_its_centre_of_mass_is_the_fields_centre():
    ds, rng = digit_net.data(), np.random.default_rng(2)
    for i in range(20):
        field = prepare.as_mnist(photo_of(ds.val_pixels[i][..., 0], rng), 28).steps[-1][1]
        rows, cols = np.flatnonzero(field.any(1)), np.flatnonzero(field.any(0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 <= prepare.MNIST_BOX
        cy, cx = ndimage.center_of_mass(field.astype(np.float64))
        assert abs(cy - 13.5) <= 1.0 and abs(cx - 13.5) <= 1.0
    small = prepare.as_mnist(photo_of(ds.val_pixels[0][..., 0], rng), 16)
    assert small.pixels.shape == (16, 16, 1)
    assert prepare.as_mnist(np.full((50, 80, 3), 200, np.uint8), 28).pixels.max() == 0  # no ink, no digit
