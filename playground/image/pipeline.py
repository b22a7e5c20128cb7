"""spec + working image -> augmented -> normalized tensor: the one path every page shares."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from playground.errors import Message
from playground.image import augment as aug
from playground.image.normalize import ChannelStats, channel_stats, normalize, to_tensor
from playground.spec import PipelineSpec


@dataclass(frozen=True)
class Prepared:
    """Everything the Image lab shows and hands on."""

    augmented: np.ndarray  # (H, W, C) uint8
    normalized: np.ndarray  # (H, W, C) float32
    tensor: torch.Tensor  # (1, C, H, W) float32
    before: ChannelStats
    after: ChannelStats
    notes: tuple[Message, ...]


def prepare(spec: PipelineSpec, working: np.ndarray) -> Prepared:
    """Apply the spec's augmentation and normalization to a working-size (H, W, C) uint8 image."""
    augmented = aug.augment(working, spec.augment)
    normalized, notes = normalize(augmented, spec.norm.method)
    return Prepared(
        augmented=augmented,
        normalized=normalized,
        tensor=to_tensor(normalized),
        before=channel_stats(augmented),
        after=channel_stats(normalized),
        notes=notes,
    )
