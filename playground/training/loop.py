"""The pieces of one training loop: augmenting a batch, one optimizer step, a validation pass in bounded chunks."""
from __future__ import annotations

import threading

import numpy as np
import torch
from torch import nn

from playground.image import augment as aug
from playground.spec import AugmentSpec

EVAL_CHUNK_MAX = 512  # validation pictures per forward pass at most (the cost model's chunk, layers/cost.py)


def augment_batch(pixels: np.ndarray, spec: AugmentSpec, rng: np.random.Generator) -> np.ndarray:
    """(B, H, W, C) uint8 with one sample_params draw per picture, in order, applied (flip, then rotate)."""
    return np.stack([aug.apply(p, aug.sample_params(rng, spec), spec.border) for p in pixels])


def train_step(model: nn.Module, opt: torch.optim.Optimizer, loss_fn, x: torch.Tensor, y: torch.Tensor) -> tuple[float, int]:
    """One optimizer step on a batch; (loss, number right)."""
    model.train()
    logits = model(x)  # (B, K)
    loss = loss_fn(logits, y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item(), int((logits.argmax(1) == y).sum())


def eval_chunk(batch: int) -> int:
    """Validation pictures per forward pass: 3 × batch costs about one training step (forward + backward ≈ 3
    forwards), so Stop, checked between chunks, waits no longer than a step; 16..512."""
    return min(EVAL_CHUNK_MAX, max(16, 3 * batch))


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn, chunk: int = 512,
             stop: threading.Event | None = None) -> tuple[float, float] | None:
    """Mean loss and accuracy of model on (x, y), in chunks; None when stop is set between two chunks."""
    model.eval()
    total, correct = 0.0, 0
    for i in range(0, len(y), chunk):
        if stop is not None and stop.is_set():
            return None
        logits = model(x[i:i + chunk])
        total += float(loss_fn(logits, y[i:i + chunk])) * len(logits)
        correct += int((logits.argmax(1) == y[i:i + chunk]).sum())
    return total / len(y), correct / len(y)
