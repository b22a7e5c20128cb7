"""spec + working image -> augmented -> normalized tensor: the one path every page shares."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from playground.errors import Message
from playground.image import augment as aug
from playground.image.normalize import ChannelStats, channel_stats, normalize, to_tensor
from playground.spec import PipelineSpec


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything the Image lab shows and hands on."""

    augmented: np.ndarray  # (H, W, C) uint8
    normalized: np.ndarray  # (H, W, C) float32
    before: ChannelStats
    after: ChannelStats
    notes: tuple[Message, ...]

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(1, C, H, W): the shape of the tensor handed to the first layer."""
        h, w, c = self.normalized.shape
        return 1, c, h, w

    @cached_property
    def tensor(self):
        """The (1, C, H, W) float32 torch.Tensor, made on first use (the Image lab alone never needs torch)."""
        return to_tensor(self.normalized)


def prepare(spec: PipelineSpec, working: np.ndarray) -> Prepared:
    """Apply the spec's augmentation and normalization to a working-size (H, W, C) uint8 image."""
    augmented = aug.augment(working, spec.augment)
    normalized, notes = normalize(augmented, spec.norm.method)
    return Prepared(augmented=augmented, normalized=normalized, before=channel_stats(augmented),
                    after=channel_stats(normalized), notes=notes)


def prepare_bytes(working: np.ndarray) -> int:
    """What preparing a working picture allocates: the augmented copy, the float32 normalized one, its tensor."""
    return working.nbytes * (1 + 4 + 4)
