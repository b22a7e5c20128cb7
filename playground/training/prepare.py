"""A new picture prepared the way a data set's own pictures were, so that a prediction on it means something.

- "digits" (scikit-learn's copy of the UCI optdigits set): the 8×8 pictures were made from 32×32
  black-and-white bitmaps of handwriting, each digit scaled so that it fills the box from top to bottom (all
  1,797 touch the first and the last row) and centred across, then counted in 4×4 blocks (0..16 ink pixels per
  cell). A new picture goes the same way: grey; ink made white on black, the data set's polarity (a dark digit
  on light paper is inverted, decided by the picture's border); ink told from paper by Otsu's threshold;
  cropped to the ink (specks under SPECK of the largest stroke ignored); the longer side scaled to 32 px and
  centred; strokes far thinner or bolder than the set's made thicker or thinner; counted in 4×4 blocks;
  0..16 -> 0..255 and enlarged to the input size exactly as datasets.digits does.
- "mnist": as MNIST itself was made: grey, ink white on black (as above), cropped to the ink, the longer side
  scaled to MNIST_BOX (20) px keeping the grey levels of the strokes, placed in a 28×28 field with its centre
  of mass in the middle, then resized to the input size exactly as datasets.mnist does.
- "yours": the centre square at 64×64 (ownset.normalize_picture), then the training size and colour mode, as
  datasets._own_dataset does.
- "shapes": resized whole, as before (the shapes are drawn on a full 32×32 canvas).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from playground.errors import Message
from playground.training.datasets import MNIST_SIDE, Dataset, fit_image
from playground.training.ownset import normalize_picture

BITMAP = 32  # optdigits' bitmap side
BLOCK = 4  # 4×4 blocks -> 8×8 counts
GRID = BITMAP // BLOCK
WORK_SIDE = 256  # larger pictures are shrunk first: Otsu and the components need no more
SPECK = 0.05  # ink components smaller than this share of the largest one are dirt, not strokes
MIN_CONTRAST = 32  # grey levels between the darkest and brightest pixel: below this there is no ink to find
# Share of ink in the data set's 32×32 bitmaps (sum of the 8×8 counts / 1024): 5th, 50th and 95th percentile
# 0.255, 0.306, 0.360. A pen or marker far thinner or bolder is brought towards the middle (EVEN_STEPS at most).
INK_BAND = (0.22, 0.42)
INK_MIDDLE = 0.306
EVEN_STEPS = 3
MNIST_BOX = 20  # MNIST's digits were scaled to fit a 20×20 box, then centred by mass in 28×28


@dataclass(frozen=True, eq=False)
class Prepared:
    """What the model gets, and the steps that made it (shown to the student)."""

    pixels: np.ndarray  # (size, size, C) uint8: the data set's layout
    steps: tuple[tuple[str, np.ndarray], ...] = ()  # (catalogue key, (h, w) or (h, w, 3) uint8 picture)
    note: Message | None = None  # said beside the picture: inverted, no ink found


def _grey(rgb: np.ndarray) -> np.ndarray:
    """(H, W, C) uint8 -> (h, w) uint8 grey, shrunk to at most WORK_SIDE on the long side."""
    img = np.ascontiguousarray(rgb)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if img.ndim == 3 and img.shape[2] == 3 else img.reshape(img.shape[:2])
    h, w = grey.shape
    if max(h, w) > WORK_SIDE:
        s = WORK_SIDE / max(h, w)
        grey = cv2.resize(grey, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)
    return grey


def ink_white(grey: np.ndarray) -> tuple[np.ndarray, bool]:
    """(grey with white ink on black, inverted?): paper is what the border shows; light paper gets inverted."""
    h, w = grey.shape
    ring = max(1, min(h, w) // 20)
    border = np.concatenate([grey[:ring].ravel(), grey[-ring:].ravel(), grey[:, :ring].ravel(), grey[:, -ring:].ravel()])
    middle = (int(grey.min()) + int(grey.max())) / 2
    inverted = float(np.median(border)) > middle
    return (255 - grey if inverted else grey), inverted


def ink_mask(grey: np.ndarray) -> tuple[np.ndarray, int]:
    """((h, w) bool ink, Otsu level) on white-ink grey, specks dropped; no ink when the picture has no contrast."""
    if int(grey.max()) - int(grey.min()) < MIN_CONTRAST:
        return np.zeros(grey.shape, bool), 256
    level, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return np.zeros(grey.shape, bool), 256
    areas = stats[1:, cv2.CC_STAT_AREA]  # row 0 is the background
    keep = np.flatnonzero(areas >= SPECK * areas.max()) + 1
    return np.isin(labels, keep), int(level)


def bitmap(grey: np.ndarray, mask: np.ndarray, level: int) -> np.ndarray:
    """(32, 32) bool: the grey cropped to the ink, longer side scaled to 32, centred, thresholded at level.

    The grey crop is scaled, not the mask, so a small or blocky picture gets smooth strokes (as a pen's
    would be) before the threshold; pixels away from the kept strokes are blanked first (specks).
    """
    out = np.zeros((BITMAP, BITMAP), bool)
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if not len(rows):
        return out
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    crop = np.where(near, grey, 0)[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].astype(np.float32)
    h, w = crop.shape
    s = BITMAP / max(h, w)
    nh, nw = max(1, min(BITMAP, round(h * s))), max(1, min(BITMAP, round(w * s)))
    small = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR) > level
    top, left = (BITMAP - nh) // 2, (BITMAP - nw) // 2
    out[top:top + nh, left:left + nw] = small
    return out


def even_strokes(bits: np.ndarray) -> np.ndarray:
    """(32, 32) bool with strokes thinned or thickened (3×3 erode / dilate) towards the data set's ink share."""
    share = bits.mean()
    if not bits.any() or INK_BAND[0] <= share <= INK_BAND[1]:
        return bits
    op = cv2.erode if share > INK_BAND[1] else cv2.dilate
    best, img = bits, bits.astype(np.uint8)
    for _ in range(EVEN_STEPS):
        img = op(img, np.ones((3, 3), np.uint8))
        if not img.any():
            break
        if abs(img.mean() - INK_MIDDLE) < abs(best.mean() - INK_MIDDLE):
            best = img.astype(bool)
    return best


def counts(bits: np.ndarray) -> np.ndarray:
    """(32, 32) bool -> (8, 8) uint8: ink pixels per 4×4 block (0..16) as 0..255, like datasets.digits."""
    blocks = bits.reshape(GRID, BLOCK, GRID, BLOCK).sum(axis=(1, 3))  # (8, 8) in 0..16
    return np.rint(blocks * 255.0 / 16.0).astype(np.uint8)


def enlarge(grid: np.ndarray, size: int) -> np.ndarray:
    """(8, 8) uint8 -> (size, size, 1), the same bilinear enlargement datasets.digits uses."""
    if size != GRID:
        grid = cv2.resize(grid, (size, size), interpolation=cv2.INTER_LINEAR)
    return grid.reshape(size, size, 1)


def as_digit(rgb: np.ndarray, size: int) -> Prepared:
    """An (H, W, C) uint8 picture prepared like the digits data set: (size, size, 1) uint8 and its steps."""
    grey, inverted = ink_white(_grey(rgb))
    mask, level = ink_mask(grey)
    bits = even_strokes(bitmap(grey, mask, level))
    grid = counts(bits)
    note = Message("prepare.no_ink") if not mask.any() else Message("prepare.inverted") if inverted else None
    steps = (("prepare.step_grey", grey), ("prepare.step_ink", mask.astype(np.uint8) * 255),
             ("prepare.step_bitmap", bits.astype(np.uint8) * 255), ("prepare.step_grid", grid))
    return Prepared(enlarge(grid, size), steps, note)


def mnist_field(grey: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(28, 28) uint8: the ink's grey crop (paper 0, brightest stroke 255) fitted to MNIST_BOX, centred by mass."""
    field = np.zeros((MNIST_SIDE, MNIST_SIDE), np.float32)
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if not len(rows):
        return field.astype(np.uint8)
    paper = float(np.median(grey[~mask])) if (~mask).any() else 0.0
    near = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    crop = np.where(near, grey.astype(np.float32) - paper, 0)[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    crop = np.clip(crop / max(1.0, float(crop.max())), 0, 1) * 255.0
    h, w = crop.shape
    s = MNIST_BOX / max(h, w)
    nh, nw = max(1, min(MNIST_BOX, round(h * s))), max(1, min(MNIST_BOX, round(w * s)))
    small = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    m = cv2.moments(small)
    cy, cx = (m["m01"] / m["m00"], m["m10"] / m["m00"]) if m["m00"] > 0 else ((nh - 1) / 2, (nw - 1) / 2)
    top = int(np.clip(round((MNIST_SIDE - 1) / 2 - cy), 0, MNIST_SIDE - nh))
    left = int(np.clip(round((MNIST_SIDE - 1) / 2 - cx), 0, MNIST_SIDE - nw))
    field[top:top + nh, left:left + nw] = small
    return np.rint(field).astype(np.uint8)


def as_mnist(rgb: np.ndarray, size: int) -> Prepared:
    """An (H, W, C) uint8 picture prepared like the MNIST digits: (size, size, 1) uint8 and its steps."""
    grey, inverted = ink_white(_grey(rgb))
    mask, _ = ink_mask(grey)
    field = mnist_field(grey, mask)
    out = field
    if size != MNIST_SIDE:
        out = cv2.resize(field, (size, size), interpolation=cv2.INTER_AREA if size < MNIST_SIDE else cv2.INTER_LINEAR)
    note = Message("prepare.no_ink") if not mask.any() else Message("prepare.inverted") if inverted else None
    steps = (("prepare.step_grey", grey), ("prepare.step_ink", mask.astype(np.uint8) * 255),
             ("prepare.step_mnist", field))
    return Prepared(out.reshape(size, size, 1), steps, note)


def as_own(rgb: np.ndarray, ds: Dataset) -> Prepared:
    """Centre square at 64×64 as the set stores it, then the training size and colour mode."""
    c, h, w = ds.shape
    img = np.ascontiguousarray(rgb)
    if img.ndim == 2 or img.shape[2] == 1:
        img = np.repeat(img.reshape(img.shape[0], img.shape[1], 1), 3, axis=2)
    square = normalize_picture(img)
    small = cv2.resize(square, (w, h), interpolation=cv2.INTER_AREA)
    if c == 1:
        small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    return Prepared(small.reshape(h, w, c), (("prepare.step_square", square),))


def for_dataset(rgb: np.ndarray, ds: Dataset, dataset: str) -> Prepared:
    """The picture the model gets for one new (H, W, C) uint8 image, prepared like the data set's own pictures."""
    if dataset == "digits":
        return as_digit(rgb, ds.shape[1])
    if dataset == "mnist":
        return as_mnist(rgb, ds.shape[1])
    if dataset == "yours":
        return as_own(rgb, ds)
    return Prepared(fit_image(rgb, ds))


CALIBRATION_SIDE = 128  # a validation digit is enlarged to this before it is prepared again, like a photo


def calibration_pictures(ds: Dataset, dataset: str) -> np.ndarray:
    """The validation pictures put through the same preparation as a new picture: (M, size, size, C) uint8.

    For digits that is not a no-op (the ink is thresholded and counted again), so the familiarity limits are
    read off pictures that took the same path as the student's. The other sets keep their pictures.
    """
    val = np.asarray(ds.val_pixels)
    if dataset != "digits":
        return val
    side = (CALIBRATION_SIDE, CALIBRATION_SIDE)
    return np.stack([as_digit(cv2.resize(p, side, interpolation=cv2.INTER_LINEAR), ds.shape[1]).pixels for p in val])
