"""'Show the code': plain OpenCV / scikit-learn / torch calls that reproduce the current spec."""
from __future__ import annotations

from playground.image.augment import BORDERS, FLIP_CODES
from playground.spec import PipelineSpec

_BORDER_NAMES = {"constant": "cv2.BORDER_CONSTANT", "reflect": "cv2.BORDER_REFLECT_101", "replicate": "cv2.BORDER_REPLICATE"}
assert set(_BORDER_NAMES) == set(BORDERS)

_SCALERS = {
    "minmax01": "MinMaxScaler(feature_range=(0, 1))",
    "minmax11": "MinMaxScaler(feature_range=(-1, 1))",
    "zscore": "StandardScaler()",
}


def _load_lines(spec: PipelineSpec) -> list[str]:
    """Read the file as RGB, shrink to the working size, pick colour or grey."""
    lines = [
        'img = cv2.cvtColor(cv2.imread(PATH), cv2.COLOR_BGR2RGB)  # (H, W, 3) uint8',
        "h, w = img.shape[:2]",
        f"scale = min(1.0, {spec.image.long_side} / max(h, w))",
        "if scale < 1.0:",
        "    size = (max(1, round(w * scale)), max(1, round(h * scale)))",
        "    img = cv2.resize(img, size, interpolation=cv2.INTER_AREA)",
    ]
    if spec.image.grayscale:
        lines.append("img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)[..., None]  # (H, W, 1)")
    return lines


def _augment_lines(spec: PipelineSpec, flip: str, angle: float) -> list[str]:
    """cv2.flip then cv2.getRotationMatrix2D + cv2.warpAffine (grey images keep their channel axis)."""
    a = spec.augment
    lines = []
    if flip != "none":
        lines.append(f"img = cv2.flip(img, {FLIP_CODES[flip]}).reshape(img.shape)  # {flip}")
    if angle % 360 != 0 or a.expand:
        lines += [
            "h, w = img.shape[:2]",
            f"m = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), {angle}, 1.0)",
            "size = (w, h)",
        ]
        if a.expand:
            lines += [
                "cos, sin = abs(m[0, 0]), abs(m[0, 1])",
                "size = (int(np.ceil(h * sin + w * cos - 1e-9)), int(np.ceil(h * cos + w * sin - 1e-9)))",
                "m[0, 2] += (size[0] - w) / 2",
                "m[1, 2] += (size[1] - h) / 2",
            ]
        lines.append(
            f"img = cv2.warpAffine(img, m, size, flags=cv2.INTER_LINEAR, borderMode={_BORDER_NAMES[a.border]})"
            ".reshape(size[1], size[0], -1)"
        )
    return lines


def _norm_lines(method: str, grey: bool) -> list[str]:
    """Per-channel scaling: each channel is one column for the scikit-learn scaler."""
    lines = ["flat = img.reshape(-1, img.shape[-1]).astype(np.float64)  # one column per channel"]
    if method in _SCALERS:
        lines.append(f"flat = {_SCALERS[method]}.fit_transform(flat)")
    elif method == "imagenet":
        mean, std = ("[0.449]", "[0.226]") if grey else ("[0.485, 0.456, 0.406]", "[0.229, 0.224, 0.225]")
        lines.append(f"flat = (flat / 255.0 - np.array({mean})) / np.array({std})")
    lines += [
        "x = flat.astype(np.float32).reshape(img.shape)",
        "tensor = torch.from_numpy(x.transpose(2, 0, 1)[None].copy())  # (1, C, H, W) float32",
        "print(tensor.shape, tensor.dtype)",
    ]
    return lines


def pipeline_code(spec: PipelineSpec, flip: str, angle: float, path: str = "image.png") -> str:
    """Runnable Python for one concrete flip/angle (random mode passes the draw it shows)."""
    head = ["import cv2", "import numpy as np", "import torch"]
    if spec.norm.method in _SCALERS:
        head.append("from sklearn.preprocessing import MinMaxScaler, StandardScaler")
    body = _load_lines(spec) + _augment_lines(spec, flip, angle) + _norm_lines(spec.norm.method, spec.image.grayscale)
    return "\n".join(head + ["", f"PATH = {path!r}"] + body) + "\n"
