"""After a run: predictions, confusion matrix, saliency (Captum, via attribution.py), downloads, labels for compared runs."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import torch
from torch import nn

from playground.spec import PipelineSpec
from playground.training import attribution
from playground.training.trainer import History


@torch.no_grad()
def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    """Class probabilities (N, K) for normalized inputs (N, C, H, W)."""
    model.eval()
    return torch.softmax(model(torch.from_numpy(np.ascontiguousarray(x, np.float32))), dim=1).numpy()


def confusion(labels: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """(K, K) counts: row = true class, column = predicted class."""
    out = np.zeros((n_classes, n_classes), np.int64)
    np.add.at(out, (labels, predicted), 1)
    return out


def sample_grid(probs: np.ndarray, labels: np.ndarray, count: int = 24) -> list[int]:
    """Validation indices to show: mistakes first (most confident first), then right ones taking turns by class."""
    pred = probs.argmax(1)
    wrong = np.flatnonzero(pred != labels)
    wrong = wrong[np.argsort(-probs[wrong].max(1), kind="stable")][: count // 2]
    right = np.flatnonzero(pred == labels)
    rank = np.zeros(len(right), np.int64)  # how many right answers of the same class come before this one
    for c in np.unique(labels[right]):
        mine = labels[right] == c
        rank[mine] = np.arange(mine.sum())
    right = right[np.lexsort((labels[right], rank))]  # one of each class, then the next of each, ...
    return [int(i) for i in np.concatenate([wrong, right[: count - len(wrong)]])]


def saliency(model: nn.Sequential, x: np.ndarray, target: int, method: str = "gradcam") -> tuple[np.ndarray, str]:
    """(map (H, W) in 0..1, method) for one (C, H, W) input and class; methods in attribution.METHODS.

    Grad-CAM (the default) falls back to the absolute input gradient ("gradient") for a stack without a
    conv or an all-zero map; see playground/training/attribution.py (Captum).
    """
    return attribution.attribute(model, x, target, method)


def history_csv(history: History) -> str:
    """One row per step: loss, smoothed loss, and the epoch's train / val figures on its last step."""
    out = io.StringIO()
    cols = ["step", "epoch", "loss", "smoothed_loss", "train_loss", "train_acc", "val_loss", "val_acc", "seconds"]
    writer = csv.writer(out)
    writer.writerow(cols)
    per_epoch = max(1, history.steps_per_epoch)
    ends = {e["epoch"] * per_epoch: e for e in history.epochs}
    for i, (loss, smooth) in enumerate(zip(history.step_loss, history.smooth_loss, strict=False), start=1):
        e = ends.get(i, {})
        writer.writerow([i, (i - 1) // per_epoch + 1, f"{loss:.6g}", f"{smooth:.6g}"]
                        + ["" if e.get(k) is None else f"{e[k]:.6g}" for k in cols[4:]])
    return out.getvalue()


def weights_bytes(model: nn.Module) -> bytes:
    """The model's state_dict as torch.save bytes (loads with torch.load(..., weights_only=True))."""
    buf = io.BytesIO()
    torch.save({k: v.detach().cpu().clone() for k, v in model.state_dict().items()}, buf)
    return buf.getvalue()


def settings_json(spec: PipelineSpec) -> str:
    """The spec the run used, as the app's own JSON (loadable as a spec)."""
    return spec.to_json()


def _flat_train(spec: PipelineSpec) -> dict:
    """The settings that tell runs apart: training fields, normalization, augmentation switch and the stack."""
    d = {f"{k}": v for k, v in json.loads(spec.to_json())["train"].items()}
    d["norm"] = spec.norm.method
    d["layers"] = len(spec.net.layers)
    d["stack"] = json.dumps(spec.to_dict()["net"], sort_keys=True)
    return d


def run_labels(specs: list[PipelineSpec]) -> list[list[tuple[str, str]]]:
    """For each run, the (setting, value) pairs that differ between the kept runs; [] when none differ."""
    flats = [_flat_train(s) for s in specs]
    keys = [k for k in flats[0] if len({json.dumps(f[k]) for f in flats}) > 1] if flats else []
    return [[(k, _short(f[k], k)) for k in keys] for f in flats]


def _short(value, key: str) -> str:
    if key == "stack":
        return ""  # the stack itself is too long for a legend: its layer count (or "changed") says enough
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:g}" if isinstance(value, float) else str(value)
