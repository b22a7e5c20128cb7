"""Tests for playground/cache.py: eviction by bytes in LRU order, sizes of real values, thread safety."""
from __future__ import annotations

import random
import threading

import numpy as np
import pytest
import torch

from playground import cache as cache_module
from playground.cache import ByteLRU, nbytes
from playground.errors import Message
from playground.image.decode import Decoded
from testkit.wait import wait_until

MB = 2 ** 20


def picture(mb: int, fill: int = 0) -> np.ndarray:
    return np.full(mb * MB, fill, np.uint8)


def test_evicts_least_recently_used_until_the_bytes_fit():
    cache = ByteLRU(10 * MB)
    for name in "abc":
        cache.put(name, picture(3))
    assert cache.bytes == 9 * MB and len(cache) == 3
    cache.get("a")  # a is now the most recently used: b goes first
    cache.put("d", picture(4))  # 13 MB > 10: the oldest, b, goes; 10 MB fit exactly
    assert [k for k in "abcd" if k in cache] == ["a", "c", "d"]
    assert cache.bytes == 10 * MB and cache.stats.evictions == 1
    cache.put("e", picture(5))  # order of use is c, a, d: c and a go
    assert [k for k in "abcde" if k in cache] == ["d", "e"] and cache.bytes == 9 * MB


def test_many_small_entries_are_not_capped_by_count():
    cache = ByteLRU(1 * MB)
    for i in range(1000):
        cache.put(i, np.zeros(1000, np.uint8))
    assert len(cache) == 1000 and cache.bytes == 1000 * 1000


def test_a_value_bigger_than_the_budget_is_not_stored_and_evicts_nothing():
    cache = ByteLRU(5 * MB)
    cache.put("small", picture(1))
    assert cache.put("huge", picture(6)) is False
    assert "huge" not in cache and "small" in cache and cache.bytes == MB and cache.stats.too_big == 1


def test_replacing_a_key_counts_its_bytes_once():
    cache = ByteLRU(10 * MB)
    cache.put("a", picture(4))
    cache.put("a", picture(2))
    assert cache.bytes == 2 * MB and len(cache) == 1
    cache.pop("a")
    assert cache.bytes == 0 and cache.get("a", "gone") == "gone"


def test_sizes_of_real_values():
    rgb = np.zeros((1000, 2000, 3), np.uint8)
    decoded = Decoded(rgb, "PNG", (2000, 1000), (Message("decode.note_16bit"),))
    assert 6_000_000 <= nbytes(decoded) < 6_000_000 + 10_000
    assert nbytes(rgb[:10]) == rgb.nbytes  # a slice keeps its whole parent alive
    assert nbytes(np.frombuffer(bytes(5000), np.uint8)[:10]) == 5000
    assert nbytes(torch.zeros(3, 64, 64)) == 3 * 64 * 64 * 4
    assert nbytes((rgb, b"x" * 100)) >= rgb.nbytes + 100
    assert nbytes(memoryview(b"abc")) == 3


def test_custom_size_function():
    cache = ByteLRU(10, size_of=len)
    cache.put("a", "12345")
    cache.put("b", "123456")
    assert "a" not in cache and cache.bytes == 6


def test_negative_budget_is_refused():
    with pytest.raises(ValueError):
        ByteLRU(-1)


def test_get_or_compute_runs_one_computation_for_concurrent_callers(monkeypatch):
    cache, calls, barrier, release = ByteLRU(10 * MB), [], threading.Barrier(8), threading.Event()
    waiting = []

    class CountedEvent(threading.Event):
        """The cache's pending marker: counts the callers that wait on it."""

        def wait(self, timeout=None):
            if cache._pending.get("k") is self:  # not a Thread's own start-up event
                waiting.append(1)
            return super().wait(timeout)

    monkeypatch.setattr(cache_module.threading, "Event", CountedEvent)

    def slow():  # holds the computation until the seven other callers wait for it
        calls.append(1)
        release.wait(60)
        return picture(1, 7)

    def open_when_all_wait():
        wait_until(lambda: len(waiting) >= 7, 60, "seven callers waiting for the one computation")
        release.set()

    results = []

    def worker():
        barrier.wait()
        results.append(cache.get_or_compute("k", slow))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    open_when_all_wait()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 8 and all(r is results[0] for r in results)


def test_get_or_compute_after_a_failure_computes_again():
    cache = ByteLRU(MB)
    with pytest.raises(RuntimeError):
        cache.get_or_compute("k", lambda: (_ for _ in ()).throw(RuntimeError("decode failed")))
    assert cache.get_or_compute("k", lambda: b"ok") == b"ok"


def test_threads_hammering_the_cache_keep_the_byte_total_exact_and_bounded():
    cache, errors, peak = ByteLRU(8 * MB), [], [0]

    def worker(seed: int):
        rng = random.Random(seed)
        try:
            for _ in range(400):
                key = rng.randrange(40)
                if rng.random() < 0.5:
                    cache.put(key, np.zeros(rng.randrange(1, 3 * MB), np.uint8))
                elif rng.random() < 0.5:
                    cache.get_or_compute(key, lambda: np.zeros(MB, np.uint8))
                else:
                    cache.get(key)
                peak[0] = max(peak[0], cache.bytes)
        except Exception as exc:  # any error in a thread fails the test
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert peak[0] <= 8 * MB
    stored = [cache.get(k) for k in range(40) if k in cache]
    assert cache.bytes == sum(v.nbytes for v in stored) <= 8 * MB
