"""The pages' decode caches are bounded by bytes: many distinct large pictures cannot pile up."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from playground.errors import ImageError
from playground.image.decode import image_digest
from playground.limits import CHOICES
from playground.ui import images


def _png(side: int, seed: int) -> bytes:
    """A tiny file (one flat colour compresses to a few KB) that decodes to side² × 3 bytes."""
    buf = io.BytesIO()
    Image.new("RGB", (side, side), (seed % 256, (seed * 7) % 256, 3)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _empty_caches():
    images.DECODED.clear()
    images.WORKING.clear()
    yield
    images.DECODED.clear()
    images.WORKING.clear()


def test_six_4000px_pngs_stay_within_the_byte_budget():
    """Six tiny uploads that decode to 288 MB, half again the budget: the byte-bounded cache keeps at most its
    budget (st.cache_data(max_entries=32) kept every one of them)."""
    pictures, each = 6, 4000 * 4000 * 3
    assert pictures * each > 1.4 * images.DECODED.max_bytes  # more than the cache may hold
    held, evictions = [], images.DECODED.stats.evictions
    for seed in range(pictures):
        data = _png(4000, seed)
        assert len(data) < 200_000  # a tiny upload...
        decoded = images._decode(data)
        assert decoded.pixels.shape == (4000, 4000, 3)  # ...that is 48 MB of pixels
        held.append(images.DECODED.bytes)
    assert max(held) <= images.DECODED.max_bytes
    assert len(images.DECODED) <= images.DECODED.max_bytes // each
    assert images.DECODED.stats.evictions - evictions >= pictures - images.DECODED.max_bytes // each


def test_a_repeated_file_is_decoded_once_and_shared_read_only():
    data, misses = _png(300, 1), images.DECODED.stats.misses
    first, second = images._decode(data), images._decode(data)
    assert first is second and images.DECODED.stats.misses == misses + 1
    with pytest.raises(ValueError):
        first.pixels[0, 0, 0] = 1  # shared by every session: nobody may change it in place


def test_working_pictures_are_keyed_by_digest_size_and_colour():
    data = _png(800, 2)
    digest = image_digest(data)
    small, _ = images._working_from_bytes(data, digest, 64, False)
    grey, _ = images._working_from_bytes(data, digest, 64, True)
    again, _ = images._working_from_bytes(data, digest, 64, False)
    assert small.shape == (64, 64, 3) and again is small and grey is not small
    assert images.WORKING.bytes <= images.WORKING.max_bytes
    assert not small.flags.writeable


def test_a_bad_file_raises_our_error_and_is_not_kept():
    with pytest.raises(ImageError):
        images._decode(b"not a picture at all")
    assert len(images.DECODED) == 0


def test_samples_share_the_byte_bounded_cache():
    name, misses = CHOICES["image.sample"][0], images.WORKING.stats.misses
    working, _ = images._working_from_sample(name, 96, False)
    again, _ = images._working_from_sample(name, 96, False)
    assert again is working and max(working.shape[:2]) <= 96
    assert images.WORKING.stats.misses == misses + 1 and len(images.WORKING) == 1
