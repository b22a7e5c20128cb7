"""Work that is the same for every student, done once for the whole server and kept in one byte-bounded cache.

A class opening the link together asks forty times for the same pictures, histograms and feature maps of the
same sample: each is computed once here, keyed by value (the picture's bytes, the spec parts that shape it),
and the sessions share the result. The values are read-only (arrays are frozen) because every session holds
the same object. The cache is bounded by bytes (playground/cache.py), PLAYGROUND_SHARED_CACHE_MB (256 MB).
"""
from __future__ import annotations

import hashlib
import io
import os
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from playground import memory
from playground.cache import ByteLRU

SHARED_CACHE_MB = int(os.environ.get("PLAYGROUND_SHARED_CACHE_MB", "256"))
SHARED = ByteLRU(SHARED_CACHE_MB * 2 ** 20)


def shared(slot: str, key: Hashable, compute: Callable[[], Any], need: int = 0) -> Any:
    """compute() once for the whole process per (slot, key) while it stays in the cache; its arrays frozen.

    need > 0 marks heavy work (bytes it allocates): when it has to be computed, it is first checked against
    the server's memory ceiling (memory.check raises a SpecError past it; a cached value is always given).
    """
    def compute_frozen() -> Any:
        if need > 0:
            memory.check("prepare", need=need)
        return frozen(compute())
    return SHARED.get_or_compute((slot, key), compute_frozen)


def frozen(value: Any) -> Any:
    """The value with its numpy arrays (directly, in lists / tuples, or in a dataclass's fields) made read-only."""
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, np.ndarray):
                item.flags.writeable = False
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            frozen_field = getattr(value, f.name)
            if isinstance(frozen_field, (np.ndarray, list, tuple)):
                frozen(frozen_field)
    return value


_DIGESTS: dict[int, tuple[weakref.ref, str]] = {}
_DIGESTS_LOCK = threading.Lock()


def digest(array: np.ndarray) -> str:
    """A hash of an array's shape, type and bytes; remembered for a read-only array (it cannot change)."""
    if array.flags.writeable:
        return _hash(array)
    with _DIGESTS_LOCK:
        known = _DIGESTS.get(id(array))
    if known is not None and known[0]() is array:
        return known[1]
    value = _hash(array)
    ident = id(array)

    def forget(_ref, ident=ident):
        with _DIGESTS_LOCK:
            if _DIGESTS.get(ident, (None,))[0] is _ref:
                del _DIGESTS[ident]
    try:
        ref = weakref.ref(array, forget)
    except TypeError:  # a view of a foreign buffer that takes no weak reference: hash it each time
        return value
    with _DIGESTS_LOCK:
        _DIGESTS[ident] = (ref, value)
    return value


def _hash(array: np.ndarray) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{array.shape}{array.dtype}".encode())
    h.update(np.ascontiguousarray(array).data)
    return h.hexdigest()


class SerializedFigure(go.Figure):
    """A plotly figure that hands out the dict it was made from instead of rebuilding it on every call.

    st.plotly_chart turns a figure into a dict with to_dict() on every call: a deep copy of the figure and a
    base64 encoding of each array (2-3 ms for a histogram), the same for every session that shows it. A
    figure kept in the shared cache is never changed again, so its dict is made once. The dict is shared:
    read it, never change it.
    """

    def __init__(self, figure: go.Figure):
        super().__init__(figure)
        self._as_dict = figure.to_dict()

    def to_dict(self) -> dict:
        return self._as_dict


def jpeg(pixels: np.ndarray) -> bytes:
    """A (H, W, 3) or (H, W, 1) uint8 picture as the JPEG Streamlit would make of it, made once per picture."""
    def encode() -> bytes:
        from PIL import Image

        image = Image.fromarray(pixels[..., 0] if pixels.ndim == 3 and pixels.shape[-1] == 1 else pixels)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=100)  # Streamlit's own setting for an array it encodes
        return out.getvalue()
    return shared("jpeg", digest(pixels), encode)
