"""Flip and rotate with OpenCV; random parameter sampling kept apart from the deterministic apply."""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from playground.spec import AugmentSpec

FLIP_CODES = {"horizontal": 1, "vertical": 0, "both": -1}  # cv2.flip codes
BORDERS = {"constant": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE}


@dataclass(frozen=True)
class AugParams:
    """One concrete augmentation: a flip kind and a rotation angle in degrees (counter-clockwise)."""

    flip: str = "none"
    angle: float = 0.0


def _keep_channels(out: np.ndarray, like: np.ndarray) -> np.ndarray:
    """cv2 drops a trailing channel axis of size 1; put it back."""
    return out.reshape(out.shape[:2] + like.shape[2:])


def flip(img: np.ndarray, kind: str) -> np.ndarray:
    """Mirror an (H, W, C) image: horizontal, vertical, both or none."""
    if kind == "none":
        return img
    return _keep_channels(cv2.flip(img, FLIP_CODES[kind]), img)


def rotation_matrix(h: int, w: int, angle: float, expand: bool) -> tuple[np.ndarray, tuple[int, int]]:
    """The 2×3 affine matrix about the image centre and the output (w, h); expand grows the canvas."""
    m = cv2.getRotationMatrix2D(((w - 1) / 2.0, (h - 1) / 2.0), angle, 1.0)
    if not expand:
        return m, (w, h)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    new_w, new_h = int(np.ceil(h * sin + w * cos - 1e-9)), int(np.ceil(h * cos + w * sin - 1e-9))
    m[0, 2] += (new_w - w) / 2.0  # shift so the rotated image is centred on the larger canvas
    m[1, 2] += (new_h - h) / 2.0
    return m, (new_w, new_h)


def rotate(img: np.ndarray, angle: float, border: str = "constant", expand: bool = False) -> np.ndarray:
    """Rotate an (H, W, C) image by angle degrees counter-clockwise with cv2.warpAffine."""
    if angle % 360 == 0 and not expand:
        return img
    h, w = img.shape[:2]
    m, size = rotation_matrix(h, w, angle, expand)
    out = cv2.warpAffine(img, m, size, flags=cv2.INTER_LINEAR, borderMode=BORDERS[border], borderValue=0)
    return _keep_channels(out, img)


def apply(img: np.ndarray, params: AugParams, border: str = "constant", expand: bool = False) -> np.ndarray:
    """Deterministic apply: flip first, then rotate."""
    return rotate(flip(img, params.flip), params.angle, border, expand)


def fixed_params(spec: AugmentSpec) -> AugParams:
    """The fixed-mode parameters of a spec."""
    return AugParams(spec.flip, float(spec.angle))


def sample_params(rng: np.random.Generator, spec: AugmentSpec) -> AugParams:
    """Draw one random augmentation: each flip with its probability, angle uniform in ±max_angle."""
    h = rng.random() < spec.p_hflip
    v = rng.random() < spec.p_vflip
    kind = {(False, False): "none", (True, False): "horizontal", (False, True): "vertical", (True, True): "both"}
    angle = float(rng.uniform(-spec.max_angle, spec.max_angle)) if spec.max_angle else 0.0
    return AugParams(kind[(h, v)], round(angle, 1))


def random_params(spec: AugmentSpec) -> list[AugParams]:
    """spec.count seeded random draws; the same seed gives the same list."""
    rng = np.random.default_rng(spec.seed)
    return [sample_params(rng, spec) for _ in range(spec.count)]


def augment(img: np.ndarray, spec: AugmentSpec) -> np.ndarray:
    """The image handed on: fixed mode applies the spec; random mode hands on the first random draw."""
    params = fixed_params(spec) if spec.mode == "fixed" else random_params(spec)[0]
    return apply(img, params, spec.border, spec.expand)
