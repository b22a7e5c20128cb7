"""The trained digit network that ships with the playground: its stack, how it was trained, its weights.

A small CNN trained on the MNIST digits (datasets.mnist, 28×28 grey) by the Training lab's own Trainer from
a fixed seed. `scripts/train_digit_net.py` reproduces it and writes WEIGHTS (a state_dict of
build_classifier(NET, 1, (28, 28), 10)); the Layer lab shows its learned filters and the maps of a real
held-out digit. The held-out digits are the validation split of SPEC.train: the network never trained on them.

MNIST is CC BY-SA 3.0 (README), and so are these weights.
"""
from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from playground.layers.stacks import DIGIT_NET
from playground.model import build_classifier
from playground.spec import NetSpec, PipelineSpec, TrainSpec
from playground.training import datasets

WEIGHTS = Path(__file__).with_name("digit_net.pt")
STACK = DIGIT_NET
NET = NetSpec(layers=STACK, seed=0)
SPEC = PipelineSpec(net=NET, train=TrainSpec(dataset="mnist", size=datasets.MNIST_SIDE, optimizer="adam", lr=3e-3,
                                             batch=64, epochs=6, seed=7, val_fraction=0.2))
# What `scripts/train_digit_net.py` printed for the shipped weights (held-out accuracy); tests check it.
REPORTED_ACCURACY = 0.963
NORM = SPEC.norm.method  # "none": pixels / 255 for training (datasets.norm_affine)
_LOCK = threading.Lock()


def data() -> datasets.Dataset:
    """The MNIST split the network was trained on (train) and checked on (val, the held-out digits)."""
    return datasets.load(SPEC.train, NORM)


def train(queue=None):
    """Train the network from scratch with the Training lab's Trainer; returns the ended Trainer.

    Deterministic on one CPU thread (the Trainer's own seeds: model build, shuffling).
    """
    from playground.training.queue import TrainQueue
    from playground.training.trainer import Trainer

    trainer = Trainer(SPEC, queue=queue if queue is not None else TrainQueue(1)).start()
    trainer.join()
    if trainer.error is not None:
        raise trainer.error
    return trainer


def accuracy(model: nn.Module, ds: datasets.Dataset | None = None) -> float:
    """Share of the held-out digits the model gets right."""
    ds = ds if ds is not None else data()
    with torch.inference_mode():
        logits = model(torch.from_numpy(ds.to_input(ds.val_pixels)))
    return float((logits.argmax(1).numpy() == ds.val_labels).mean())


def fresh_model() -> nn.Sequential:
    """The untrained classifier the weights belong to."""
    return build_classifier(NET, 1, (datasets.MNIST_SIDE, datasets.MNIST_SIDE), 10)


@cache
def shipped_model() -> nn.Sequential:
    """The classifier with the shipped weights, frozen for inference (one copy per process)."""
    with _LOCK:
        model = fresh_model()
        model.load_state_dict(torch.load(WEIGHTS, map_location="cpu", weights_only=True))
    return model.eval().requires_grad_(False)


def stack(n_layers: int) -> nn.Sequential:
    """The first n_layers trained layers (the classifier minus Flatten and Linear when n is the whole stack)."""
    return shipped_model()[:min(n_layers, len(STACK))]


def held_out_digit(index: int = 0) -> tuple[np.ndarray, int]:
    """Held-out digit `index` (wrapping): (28, 28, 1) uint8 white ink on black, and its label."""
    ds = data()
    i = index % len(ds.val_labels)
    return np.asarray(ds.val_pixels[i]), int(ds.val_labels[i])


def held_out_of(label: int) -> tuple[np.ndarray, int]:
    """The first held-out digit with this label (0..9): (28, 28, 1) uint8 and the label."""
    ds = data()
    return held_out_digit(int(np.flatnonzero(ds.val_labels == label)[0]))


def as_input(pixels: np.ndarray) -> np.ndarray:
    """(28, 28, 1) uint8 -> (1, 28, 28) float32 as the network was trained on it."""
    return data().to_input(pixels[None])[0]
