"""Decode under a bound: refusal from the header by a memory estimate, bounded peaks, decode slots.

Pillow's pixels are the oracle for the band-by-band conversion: tiny bands must give the same array as one band.
"""
from __future__ import annotations

import io
import struct
import threading

import numpy as np
import pytest
from PIL import Image
from test_decode import crafted_png, encode, peak_growth_kib, photo, png_chunk, refused

from playground.image import decode
from playground.image.decode import DECODE_BUDGET_MB, MAX_PIXELS, decode_image, decode_peak_bytes
from testkit.slots import Gate


def crafted_float_tiff(width: int, height: int) -> bytes:
    """A float32 grey TIFF header with one strip that is not there: Pillow opens it lazily, decoding would fail."""
    entries = [(256, 4, width), (257, 4, height), (258, 3, 32), (259, 3, 1), (262, 3, 1), (273, 4, 8 + 2 + 10 * 12 + 4),
               (277, 3, 1), (278, 4, height), (279, 4, width * height * 4), (339, 3, 3)]  # 339: SampleFormat = float
    ifd = struct.pack("<H", len(entries)) + b"".join(struct.pack("<HHII", tag, kind, 1, value)
                                                      for tag, kind, value in entries)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + struct.pack("<I", 0)


def crafted_png16(width: int, height: int) -> bytes:
    """A 16-bit grey PNG header whose pixel data is missing (only the header is read before the refusal)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IEND", b"")


@pytest.mark.parametrize("mode, per_pixel", [("F", 8), ("I", 8), ("RGB", 8), ("RGBA", 8), ("CMYK", 8),
                                             ("I;16", 5), ("L", 4), ("P", 4), ("1", 4)])
def test_peak_estimate_per_mode(mode, per_pixel):
    """Pillow stores RGB in 4 bytes a pixel; two Pillow copies or one plus the RGB output, plus one band."""
    assert decode_peak_bytes(mode, 1000, 1000) == 1000 * 1000 * per_pixel + decode_peak_bytes(mode, 0, 0)
    assert decode_peak_bytes(mode, 0, 0) < 16 * 2 ** 20


def test_everything_under_the_pixel_cap_fits_the_decode_budget():
    for mode in ("F", "RGBA", "I;16", "L"):
        assert decode_peak_bytes(mode, MAX_PIXELS, 1) < DECODE_BUDGET_MB * 2 ** 20


@pytest.mark.parametrize("data, mode", [(crafted_float_tiff(6000, 6000), "F"), (crafted_png16(8000, 8000), "I;16"),
                                        (crafted_png(9000, 9000), "L")])
def test_refused_from_the_header_when_the_estimate_exceeds_the_budget(data, mode):
    """With the pixel cap raised, a picture whose decode would need more than the budget is refused unread."""
    assert Image.open(io.BytesIO(data)).mode == mode
    err = refused(data, "decode.decode_memory", max_pixels=10 ** 8)
    assert err.params["mode"] == mode and err.params["mb"] > err.params["budget"] == DECODE_BUDGET_MB


def test_refusal_takes_no_pixel_memory(tmp_path):
    outcome, growth = peak_growth_kib(tmp_path, crafted_png16(8000, 8000), 10 ** 8)
    assert outcome == "decode.decode_memory" and growth < 30_000, growth


def test_a_16_megapixel_float_tiff_peaks_within_its_estimate(tmp_path):
    """It peaked at about 508 MB when converted whole (float64 copies); now the bands bound it (bench_decode.py)."""
    rng = np.random.default_rng(0)
    values = rng.normal(0, 1, (4000, 4000)).astype(np.float32)
    values[0, :3] = (np.nan, np.inf, -np.inf)
    outcome, growth = peak_growth_kib(tmp_path, encode(values, "TIFF"), MAX_PIXELS)
    assert outcome == "decoded"
    assert 64_000 < growth * 1024 / 1000 < decode_peak_bytes("F", 4000, 4000) / 1000, growth  # above the pixels


@pytest.mark.parametrize("make", [
    lambda: encode(np.random.default_rng(1).normal(0, 5, (37, 29)).astype(np.float32), "TIFF"),
    lambda: encode((np.arange(37 * 29, dtype=np.uint16).reshape(37, 29) * 61), "PNG"),
    lambda: encode(np.dstack([photo(37, 29), np.arange(37 * 29, dtype=np.uint8).reshape(37, 29, 1)]), "PNG"),
    lambda: encode(Image.fromarray(photo(37, 29)).quantize(7), "PNG", transparency=3),
    lambda: encode(Image.fromarray(photo(37, 29)).convert("CMYK"), "JPEG"),
    lambda: encode(photo(37, 29), "JPEG", exif=_exif(6)),
], ids=["float", "16-bit", "rgba", "palette+transparency", "cmyk", "exif-rotated"])
def test_tiny_bands_give_the_same_pixels_and_notes(make, monkeypatch):
    data = make()
    whole = decode_image(data)
    monkeypatch.setattr(decode, "BAND_PIXELS", 7)  # 1 row per band: every band edge is exercised
    banded = decode_image(data)
    np.testing.assert_array_equal(banded.pixels, whole.pixels)
    assert banded.notes == whole.notes


def _exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


@pytest.mark.parametrize("slots", [1, 2])
def test_at_most_the_slots_decode_at_once(slots, monkeypatch):
    gate, real = Gate(slots), decode._to_rgb

    def held_to_rgb(im, notes):
        gate.hold()
        return real(im, notes)

    monkeypatch.setattr(decode, "DECODE_SLOTS", gate.slots)
    monkeypatch.setattr(decode, "_to_rgb", held_to_rgb)
    data = encode(photo(), "PNG")
    threads = [threading.Thread(target=decode_image, args=(data,)) for _ in range(6)]
    for t in threads:
        t.start()
    gate.check_full(callers=len(threads))
    for t in threads:
        t.join()
    assert gate.peak == slots


def test_slots_default_to_the_cores():
    import os

    assert decode.DECODE_SLOTS._initial_value == (os.cpu_count() or 1)


def test_a_refused_decode_gives_its_slot_back(monkeypatch):
    monkeypatch.setattr(decode, "DECODE_SLOTS", threading.BoundedSemaphore(1))
    truncated = encode(photo(), "PNG")[:-40]
    for _ in range(3):
        refused(truncated, "decode.truncated")
    assert decode_image(encode(photo(), "PNG")).pixels.shape == (48, 64, 3)
