"""Tests for playground/image/decode.py: bad inputs built in the test; Pillow, OpenCV as oracles."""
from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import tracemalloc
import zlib
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from playground.errors import ImageError
from playground.i18n import catalogue, tm
from playground.image.decode import MAX_PIXELS, decode_image, image_digest, to_working
from testkit.hypo import examples

REPO = Path(__file__).resolve().parent.parent


def encode(image: Image.Image | np.ndarray, fmt: str, **kwargs) -> bytes:
    """Save an image (or array) with Pillow and return the file bytes."""
    im = Image.fromarray(image) if isinstance(image, np.ndarray) else image
    buf = io.BytesIO()
    im.save(buf, fmt, **kwargs)
    return buf.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, type, body, CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


@cache
def crafted_png(width: int, height: int) -> bytes:
    """An 8-bit grey PNG of zeros written by hand, compressed row block by row block (cheap to build)."""
    comp, parts, row = zlib.compressobj(9), [], width + 1  # +1: the filter byte of each row
    for start in range(0, height, 100):
        parts.append(comp.compress(bytes(row * min(100, height - start))))
    idat = b"".join(parts) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
            + png_chunk(b"IEND", b""))


def refused(data: bytes, key: str, **kwargs) -> ImageError:
    """Assert decode_image raises ImageError(key) whose message reads in both languages."""
    with pytest.raises(ImageError) as info:
        decode_image(data, **kwargs)
    assert info.value.key == key, info.value
    for lang in ("en", "zh"):
        assert tm(info.value.message, lang)
    return info.value


def note_keys(notes) -> list[str]:
    """The catalogue keys of a tuple of notes."""
    return [note.key for note in notes]


def photo(height: int = 48, width: int = 64) -> np.ndarray:
    """An asymmetric RGB test image: smooth ramps plus a red block in the top-left corner."""
    rows, cols = np.mgrid[:height, :width]
    rgb = np.stack([cols * 255 // width, rows * 255 // height, np.full_like(rows, 90)], axis=2)
    rgb[: height // 3, : width // 4] = (230, 20, 20)
    return rgb.astype(np.uint8)


# --- refused inputs -------------------------------------------------------------------------------

def test_empty_file():
    refused(b"", "decode.empty")


def test_text_renamed_png():
    err = refused(b"Dear teacher, here is my homework.\n" * 20, "decode.not_image")
    assert "PNG" in err.params["formats"]


def test_svg():
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' \
          b'<circle cx="5" cy="5" r="4"/></svg>'
    refused(svg, "decode.svg")


def test_format_outside_the_allowlist_is_refused_although_pillow_reads_it():
    data = encode(photo(), "PPM")
    assert Image.open(io.BytesIO(data)).size == (64, 48)  # Pillow itself would open it
    refused(data, "decode.not_image")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_file(fmt):
    data = encode(np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8), fmt)
    refused(data[: len(data) // 2], "decode.truncated")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_header_cut_short_is_called_damaged_not_foreign():
    refused(encode(photo(), "PNG")[:20], "decode.truncated")


@pytest.mark.parametrize("width, height", [(0, 0), (0, 5), (7, 0)])
def test_zero_size_png(width, height):
    err = refused(crafted_png(width, height), "decode.zero_size")
    assert (err.params["width"], err.params["height"]) == (width, height)


def test_zero_size_gif():
    refused(b"GIF89a" + struct.pack("<HHBBB", 0, 0, 0, 0, 0) + b";", "decode.zero_size")


def test_20000_square_png_is_refused_from_its_header_in_process():
    data = crafted_png(20000, 20000)
    assert len(data) < 1_000_000  # a few hundred KB that would inflate to 400 MB of pixels
    tracemalloc.start()
    try:
        refused(data, "decode.far_too_many_pixels")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000, peak


MEASURE = """
import sys
from playground.errors import ImageError
from playground.image.decode import decode_image


def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])


data = open(sys.argv[1], "rb").read()
open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to the current RSS: imports don't count
before = status_kib("VmRSS")
try:
    decode_image(data, max_pixels=int(sys.argv[2]))
    print("decoded", end=" ")
except ImageError as err:
    print(err.key, end=" ")
print(status_kib("VmHWM") - before)
"""


def peak_growth_kib(tmp_path: Path, data: bytes, max_pixels: int) -> tuple[str, int]:
    """Decode in a fresh process; return its outcome and the growth of its peak RSS in KiB."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    out = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(max_pixels)], cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=True).stdout.split()
    return out[0], int(out[1])


def test_20000_square_png_takes_no_pixel_memory(tmp_path):
    outcome, growth = peak_growth_kib(tmp_path, crafted_png(20000, 20000), MAX_PIXELS)
    assert outcome == "decode.far_too_many_pixels"
    assert growth < 30_000, f"peak RSS grew by {growth} KiB"


def test_memory_probe_can_see_a_real_decode(tmp_path):
    """The probe above is not blind: decoding 25 MP allowed by the cap raises the peak by > 50 MB."""
    outcome, growth = peak_growth_kib(tmp_path, crafted_png(5000, 5000), 30_000_000)
    assert outcome == "decoded"
    assert growth > 50_000, growth


def test_100_megapixel_image_is_refused_with_the_numbers():
    err = refused(crafted_png(10000, 10000), "decode.too_many_pixels")
    assert err.params == {"width": 10000, "height": 10000, "megapixels": 100.0, "cap": 16.0}
    text = tm(err.message, "en")
    assert "10000×10000" in text and "100.0" in text and "16.0" in text


def test_pillows_bomb_warning_still_refuses_when_the_cap_is_raised():
    err = refused(crafted_png(10000, 10000), "decode.too_many_pixels", max_pixels=10**9)
    assert err.params["cap"] == round(Image.MAX_IMAGE_PIXELS / 1e6, 1) < err.params["megapixels"]


def test_own_cap_applies_below_pillows_bomb_limit():
    err = refused(crafted_png(5000, 4000), "decode.too_many_pixels")
    assert err.params["megapixels"] == 20.0
    refused(encode(photo(), "PNG"), "decode.too_many_pixels", max_pixels=64 * 48 - 1)
    assert decode_image(encode(photo(), "PNG"), max_pixels=64 * 48).pixels.shape == (48, 64, 3)


# --- accepted inputs --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, kwargs", [("PNG", {}), ("BMP", {}), ("TIFF", {}),
                                         ("WEBP", {"lossless": True})])
def test_lossless_formats_round_trip_exactly(fmt, kwargs):
    rgb = photo()
    decoded = decode_image(encode(rgb, fmt, **kwargs))
    assert decoded.fmt == fmt and decoded.original_size == (64, 48) and decoded.notes == ()
    assert decoded.pixels.dtype == np.uint8 and decoded.pixels.flags.c_contiguous
    np.testing.assert_array_equal(decoded.pixels, rgb)


def test_format_comes_from_the_content():
    assert decode_image(encode(photo(), "JPEG")).fmt == "JPEG"


def test_one_pixel_image():
    decoded = decode_image(encode(np.array([[[10, 20, 30]]], np.uint8), "PNG"))
    np.testing.assert_array_equal(decoded.pixels, [[[10, 20, 30]]])
    work, notes = to_working(decoded.pixels, 256, grayscale=False)
    assert work.shape == (1, 1, 3) and note_keys(notes) == ["decode.note_small"]


@pytest.mark.parametrize("shape", [(1, 100000), (100000, 1)])
def test_one_pixel_strip(shape):
    ramp = (np.arange(100000) % 256).astype(np.uint8).reshape(shape)
    decoded = decode_image(encode(ramp, "PNG"))
    assert decoded.pixels.shape == (*shape, 3)
    work, notes = to_working(decoded.pixels, 256, grayscale=False)
    assert max(work.shape[:2]) == 256 and min(work.shape[:2]) == 1
    size = (256, 1) if shape[0] == 1 else (1, 256)
    np.testing.assert_array_equal(work, cv2.resize(decoded.pixels, size, interpolation=cv2.INTER_AREA))
    assert note_keys(notes) == ["decode.note_downscaled", "decode.note_small"]


def test_animated_gif_gives_first_frame_and_a_note():
    frames = [Image.new("RGB", (8, 6), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    decoded = decode_image(data)
    np.testing.assert_array_equal(decoded.pixels, np.full((6, 8, 3), (255, 0, 0)))
    assert note_keys(decoded.notes) == ["decode.note_animated"]


def test_sixteen_bit_png_is_scaled_not_clipped():
    values = np.array([[0, 1, 128, 129, 256, 257, 32767, 32768, 65279, 65534, 65535]], np.uint16)
    data = encode(values, "PNG")
    assert Image.open(io.BytesIO(data)).mode == "I;16"
    decoded = decode_image(data)
    expected = np.round(values / 257).astype(np.uint8)
    np.testing.assert_array_equal(decoded.pixels, np.repeat(expected[..., None], 3, axis=2))
    assert decoded.pixels[0, -1, 0] == 255 and decoded.pixels[0, 4, 0] == 1
    assert note_keys(decoded.notes) == ["decode.note_16bit"]


def test_cmyk_jpeg_matches_pillows_conversion():
    data = encode(Image.fromarray(photo()).convert("CMYK"), "JPEG", quality=95)
    oracle = Image.open(io.BytesIO(data))
    assert oracle.mode == "CMYK"
    np.testing.assert_array_equal(decode_image(data).pixels, np.asarray(oracle.convert("RGB")))


def test_palette_png_equals_its_rgb_conversion():
    data = encode(Image.fromarray(photo()).quantize(16), "PNG")
    oracle = Image.open(io.BytesIO(data))
    assert oracle.mode == "P"
    np.testing.assert_array_equal(decode_image(data).pixels, np.asarray(oracle.convert("RGB")))


def test_palette_transparency_becomes_white():
    im = Image.new("P", (2, 1))
    im.putpalette([200, 0, 0, 0, 0, 0])
    im.putpixel((1, 0), 1)
    decoded = decode_image(encode(im, "PNG", transparency=1))
    np.testing.assert_array_equal(decoded.pixels, [[[200, 0, 0], [255, 255, 255]]])
    assert note_keys(decoded.notes) == ["decode.note_alpha"]


def exif_orientation(value: int) -> Image.Exif:
    """An EXIF block holding only the orientation tag."""
    exif = Image.Exif()
    exif[0x0112] = value
    return exif


CW, CCW = cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE


@pytest.mark.parametrize("orientation, turn, other", [(6, CW, CCW), (8, CCW, CW)])
def test_exif_rotated_jpeg_is_shown_upright(orientation, turn, other):
    rgb = photo()
    decoded = decode_image(encode(rgb, "JPEG", quality=100, exif=exif_orientation(orientation)))
    assert decoded.original_size == (64, 48) and decoded.pixels.shape == (64, 48, 3)
    error = np.abs(decoded.pixels.astype(int) - cv2.rotate(rgb, turn)).mean()
    wrong_way = np.abs(decoded.pixels.astype(int) - cv2.rotate(rgb, other)).mean()
    assert error < 3 < wrong_way, (error, wrong_way)
    assert note_keys(decoded.notes) == ["decode.note_rotated"]


def test_exif_rotated_png_is_exactly_upright():
    rgb = photo()
    decoded = decode_image(encode(rgb, "PNG", exif=exif_orientation(3)))
    np.testing.assert_array_equal(decoded.pixels, cv2.rotate(rgb, cv2.ROTATE_180))


def test_float_tiff_with_nan_and_inf():
    values = np.array([[np.nan, 0.0, 1.0], [0.5, np.inf, -np.inf]], np.float32)
    data = encode(values, "TIFF")
    assert Image.open(io.BytesIO(data)).mode == "F"
    decoded = decode_image(data)
    expected = np.array([[0, 0, 255], [128, 0, 0]], np.uint8)
    np.testing.assert_array_equal(decoded.pixels, np.repeat(expected[..., None], 3, axis=2))
    assert [(n.key, n.params) for n in decoded.notes] == [
        ("decode.note_scaled", {"low": 0.0, "high": 1.0}), ("decode.note_nonfinite", {"count": 3})]


def test_rgba_is_composited_on_white():
    rgba = np.array([[[10, 20, 30, 0], [10, 20, 30, 255], [0, 0, 0, 128]]], np.uint8)
    decoded = decode_image(encode(rgba, "PNG"))
    assert decoded.pixels[0, 0].tolist() == [255, 255, 255]  # fully transparent: the white behind
    assert decoded.pixels[0, 1].tolist() == [10, 20, 30]  # opaque: unchanged
    assert np.abs(decoded.pixels[0, 2].astype(int) - 127).max() <= 1  # half black over white
    assert note_keys(decoded.notes) == ["decode.note_alpha"]


def test_opaque_rgba_gives_no_alpha_note():
    rgba = np.dstack([photo(), np.full((48, 64), 255, np.uint8)])
    decoded = decode_image(encode(rgba, "PNG"))
    np.testing.assert_array_equal(decoded.pixels, photo())
    assert decoded.notes == ()


@pytest.mark.parametrize("mode", ["L", "1", "LA"])
def test_grayscale_gives_three_equal_channels(mode):
    gray = Image.fromarray(photo()).convert(mode)
    decoded = decode_image(encode(gray, "PNG"))
    expected = np.asarray(gray.convert("L"))
    for channel in range(3):
        np.testing.assert_array_equal(decoded.pixels[..., channel], expected)


# --- to_working and the digest ----------------------------------------------------------------

def test_to_working_downscales_with_inter_area_and_keeps_aspect():
    rgb = photo(300, 400)
    work, notes = to_working(rgb, 100, grayscale=False)
    np.testing.assert_array_equal(work, cv2.resize(rgb, (100, 75), interpolation=cv2.INTER_AREA))
    assert [(n.key, n.params) for n in notes] == [
        ("decode.note_downscaled", {"from_w": 400, "from_h": 300, "to_w": 100, "to_h": 75})]


def test_to_working_grayscale_matches_opencv():
    rgb = photo(300, 400)
    work, _ = to_working(rgb, 200, grayscale=True)
    small = cv2.resize(rgb, (200, 150), interpolation=cv2.INTER_AREA)
    assert work.shape == (150, 200, 1) and work.dtype == np.uint8
    np.testing.assert_array_equal(work[..., 0], cv2.cvtColor(small, cv2.COLOR_RGB2GRAY))


def test_to_working_never_enlarges_and_never_returns_the_input():
    rgb = photo()
    rgb.flags.writeable = False
    work, notes = to_working(rgb, 1024, grayscale=False)
    np.testing.assert_array_equal(work, rgb)
    assert work is not rgb and work.flags.writeable and notes == ()


@settings(max_examples=examples(60), deadline=None)
@given(width=st.integers(1, 700), height=st.integers(1, 700), long_side=st.integers(1, 300))
def test_to_working_sizes(width, height, long_side):
    work, _ = to_working(np.zeros((height, width, 3), np.uint8), long_side, grayscale=False)
    new_h, new_w = work.shape[:2]
    assert 1 <= new_w and 1 <= new_h and max(new_w, new_h) <= max(long_side, 1)
    assert new_w <= width and new_h <= height
    scale = min(1.0, long_side / max(width, height))
    assert abs(new_w - width * scale) <= 1 and abs(new_h - height * scale) <= 1


def test_to_working_rejects_wrong_arrays():
    with pytest.raises(ValueError):
        to_working(np.zeros((4, 4), np.uint8), 8, grayscale=False)
    with pytest.raises(ValueError):
        to_working(np.zeros((4, 4, 3), np.float32), 8, grayscale=False)


def test_digest_changes_with_one_byte():
    data = encode(photo(), "PNG")
    assert image_digest(data) == image_digest(bytes(data)) and len(image_digest(data)) == 64
    assert image_digest(data) != image_digest(data[:-1] + bytes([data[-1] ^ 1]))


def test_every_decode_and_sample_key_is_in_both_catalogues():
    source = "".join((REPO / "playground" / "image" / f"{name}.py").read_text() for name in ("decode", "samples"))
    keys = set(re.findall(r'"((?:decode|sample)\.[a-z0-9_]+)"', source))
    assert len(keys) >= 15 and "sample.unknown" in keys, keys
    for lang in ("en", "zh"):
        assert keys <= set(catalogue(lang)), sorted(keys - set(catalogue(lang)))
