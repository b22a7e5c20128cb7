"""The pieces of one training loop: augmenting a batch, one optimizer step, a validation pass in bounded chunks."""
from __future__ import annotations

import math
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import numpy as np
import torch
from torch import nn

from playground.image import augment as aug
from playground.layers.kinds import of_module
from playground.spec import AugmentSpec

SLICE_S = 0.25  # estimated seconds of one part of a training batch: Stop is checked between parts
EVAL_CHUNK_MAX = 512  # validation pictures per forward pass at most (the cost model's chunk, layers/cost.py)


def augment_batch(pixels: np.ndarray, spec: AugmentSpec, rng: np.random.Generator) -> np.ndarray:
    """(B, H, W, C) uint8 with one sample_params draw per picture, in order, applied (flip, then rotate)."""
    return np.stack([aug.apply(p, aug.sample_params(rng, spec), spec.border) for p in pixels])


def slices_for(model: nn.Module, step_s: float, batch: int) -> int:
    """Parts a batch's forward / backward is cut into so each takes about SLICE_S (step_s: estimated seconds).

    The gradients add up to the whole batch's (the loss is a mean); BatchNorm's statistics would not, so a
    stack with BatchNorm keeps whole batches (its step is still bounded by the step budget).
    """
    if any((e := of_module(m)) is not None and e.family.whole_map for m in model.modules()):
        return 1
    return max(1, min(batch, math.ceil(step_s / SLICE_S)))


def train_step(model: nn.Module, opt: torch.optim.Optimizer, loss_fn, x: torch.Tensor, y: torch.Tensor,
               slices: int = 1, stop: threading.Event | None = None) -> tuple[float, int] | None:
    """One optimizer step on a batch, its gradient summed over `slices` parts; (loss, number right).

    None, with the weights untouched, when stop is set between two parts: Stop waits at most one part.
    """
    model.train()
    opt.zero_grad(set_to_none=True)
    loss_sum, right = 0.0, 0
    for i, (xs, ys) in enumerate(zip(x.tensor_split(slices), y.tensor_split(slices), strict=True)):
        if i and stop is not None and stop.is_set():
            opt.zero_grad(set_to_none=True)
            return None
        logits = model(xs)  # (b, K)
        loss = loss_fn(logits, ys) * (len(ys) / len(y))  # the part's share of the batch's mean loss
        loss.backward()
        loss_sum += loss.item()
        right += int((logits.argmax(1) == ys).sum())
    opt.step()
    return loss_sum, right


def eval_chunk(batch: int) -> int:
    """Validation pictures per forward pass: 3 × batch (or a batch's part) costs about as much as training on
    it (forward + backward ≈ 3 forwards), so Stop, checked between chunks, waits no longer; 16..512."""
    return min(EVAL_CHUNK_MAX, max(16, 3 * batch))


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn, chunk: int = 512,
             stop: threading.Event | None = None,
             turn: Callable[[], AbstractContextManager[bool]] = lambda: nullcontext(True)) -> tuple[float, float] | None:
    """Mean loss and accuracy of model on (x, y), in chunks, each in one turn() (a training queue turn);
    None when stop is set between two chunks (or while waiting for a turn)."""
    model.eval()
    total, correct = 0.0, 0
    for i in range(0, len(y), chunk):
        if stop is not None and stop.is_set():
            return None
        with turn() as got:
            if not got:
                return None
            logits = model(x[i:i + chunk])
        total += float(loss_fn(logits, y[i:i + chunk])) * len(logits)
        correct += int((logits.argmax(1) == y[i:i + chunk]).sum())
    return total / len(y), correct / len(y)
