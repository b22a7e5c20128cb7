"""A least-recently-used cache bounded by bytes, not by entries: decoded pictures differ in size a thousandfold.

`st.cache_data(max_entries=32)` kept 32 pictures whatever their size (16 tiny 4000² PNGs held 768 MB).
ByteLRU keeps the newest values whose sizes add up to at most max_bytes, shared safely by the threads that
Streamlit sessions run in. A value is measured once, when stored, by size_of (nbytes by default).
"""
from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

_MAX_DEPTH = 4  # containers nested deeper than this count only their own object size


def nbytes(value: Any, _depth: int = 0) -> int:
    """Bytes a value holds: arrays (the whole buffer a view keeps alive), bytes, tensors, containers, dataclasses."""
    if isinstance(value, np.ndarray):
        return max(value.nbytes, _owner_bytes(value))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, memoryview):
        return value.nbytes
    if hasattr(value, "element_size") and hasattr(value, "nelement"):  # a torch.Tensor, without importing torch
        return int(value.element_size() * value.nelement())
    if _depth >= _MAX_DEPTH:
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        return sys.getsizeof(value) + sum(nbytes(v, _depth + 1) for v in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(nbytes(k, _depth + 1) + nbytes(v, _depth + 1) for k, v in value.items())
    if is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(nbytes(getattr(value, f.name), _depth + 1) for f in fields(value))
    return sys.getsizeof(value)


def _owner_bytes(array: np.ndarray) -> int:
    """Size of the buffer at the root of a view chain (a small slice keeps its whole parent alive)."""
    owner = array
    while isinstance(owner, np.ndarray) and owner.base is not None:
        owner = owner.base
    if isinstance(owner, np.ndarray):
        return owner.nbytes
    return len(owner) if isinstance(owner, (bytes, bytearray)) else 0


@dataclass
class CacheStats:
    """Counters since the cache was made."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    too_big: int = 0  # values larger than the whole budget, returned but not stored


class ByteLRU:
    """Thread-safe LRU keyed by hashable keys; the stored values' sizes add up to at most max_bytes."""

    def __init__(self, max_bytes: int, size_of: Callable[[Any], int] = nbytes):
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be ≥ 0, got {max_bytes}")
        self.max_bytes, self.size_of = max_bytes, size_of
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()  # oldest first
        self._bytes = 0
        self._lock = threading.Lock()
        self._pending: dict[Hashable, threading.Event] = {}  # keys being computed by get_or_compute
        self.stats = CacheStats()

    @property
    def bytes(self) -> int:
        """Total size of the stored values."""
        with self._lock:
            return self._bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value stored under key (now the most recently used), or default."""
        with self._lock:
            if key not in self._items:
                self.stats.misses += 1
                return default
            self._items.move_to_end(key)
            self.stats.hits += 1
            return self._items[key][0]

    def put(self, key: Hashable, value: Any) -> bool:
        """Store value under key, evicting the least recently used; False when it alone exceeds max_bytes."""
        size = int(self.size_of(value))  # measured outside the lock: it may walk a large structure
        with self._lock:
            self._drop(key)
            if size > self.max_bytes:
                self.stats.too_big += 1
                return False
            while self._items and self._bytes + size > self.max_bytes:
                self._drop(next(iter(self._items)))
                self.stats.evictions += 1
            self._items[key] = (value, size)
            self._bytes += size
            return True

    def pop(self, key: Hashable) -> None:
        """Forget key if it is stored."""
        with self._lock:
            self._drop(key)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def _drop(self, key: Hashable) -> None:
        """Remove key (caller holds the lock)."""
        entry = self._items.pop(key, None)
        if entry is not None:
            self._bytes -= entry[1]

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The stored value, or compute() stored; concurrent callers of one key wait for a single computation."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    self.stats.hits += 1
                    return self._items[key][0]
                waiting = self._pending.get(key)
                if waiting is None:
                    self.stats.misses += 1
                    self._pending[key] = done = threading.Event()
                    break
            waiting.wait()  # another thread computes this key; then look again (it may have failed or been too big)
        try:
            value = compute()  # outside the lock: a decode must not block every other session's cache
            self.put(key, value)
            return value
        finally:
            with self._lock:
                self._pending.pop(key, None)
            done.set()
