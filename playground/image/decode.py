"""Safe image input: untrusted bytes in, a defined 8-bit RGB array out, or an ImageError with a key.

Memory is bounded three ways: a pixel cap read from the header, a decode-memory estimate from the header
(decode_peak_bytes, refused above DECODE_BUDGET_MB), and at most DECODE_SLOTS decodes holding pixels at
once. Conversions to RGB run over bands of rows, so their temporaries (a float64 copy of a float TIFF
band, say) stay a few MB whatever the picture's size: a 16-megapixel float TIFF peaked at 508 MB when it
was converted whole, and now at about 120 MB (bench/bench_decode.py).
"""
from __future__ import annotations

import hashlib
import io
import os
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageMode, ImageOps

from playground.errors import ImageError, Message

MAX_PIXELS = 16_000_000
DECODE_BUDGET_MB = 256  # estimated peak per decode (decode_peak_bytes); a 16 MP picture of any mode needs ≤ 140
DECODE_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)  # decodes holding pixel memory at once
BAND_PIXELS = 1 << 18  # pixels converted at a time: (rows of the picture) × width
_BAND_BYTES = 48  # per band pixel: a crop, its array, a float64 copy, masks (the float path, the widest)
# Decided from the bytes by Pillow, never from a file name. MPO is how Pillow names some camera JPEGs.
ALLOWED_FORMATS = ("PNG", "JPEG", "MPO", "BMP", "WEBP", "GIF", "TIFF")
# Pillow has no opener named MPO (asking for one raises KeyError): its JPEG opener returns MPO files.
_OPENERS = tuple(fmt for fmt in ALLOWED_FORMATS if fmt != "MPO")
SHOWN_FORMATS = "PNG, JPEG, BMP, WEBP, GIF, TIFF"
SMALL_SIDE = 16  # a working image with a side below this gets a note: few conv layers will fit
_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N")
_WIDE_RANGE = ("I", "F")  # 32-bit int / float: no fixed scale, so the finite range is stretched
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")
# Magic numbers of allowed formats: such a file that Pillow cannot identify is damaged, not foreign.
_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"BM", b"GIF8", b"II*\x00", b"MM\x00*")
# What Pillow raises on broken data while parsing or decoding (UnidentifiedImageError is an OSError).
_BROKEN = (OSError, EOFError, SyntaxError, ValueError, IndexError, struct.error)


@dataclass(frozen=True, eq=False)  # eq=False: comparing arrays element-wise makes no single bool
class Decoded:
    """A decoded upload: upright RGB pixels plus what the user should be told about them."""

    pixels: np.ndarray  # (H, W, 3) uint8 RGB, upright
    fmt: str  # Pillow's format name, e.g. "PNG"
    original_size: tuple[int, int]  # (w, h) from the file header, before EXIF rotation
    notes: tuple[Message, ...] = ()


def image_digest(data: bytes) -> str:
    """SHA-256 hex of the raw bytes: a cache key that differs whenever one byte does."""
    return hashlib.sha256(data).hexdigest()


def _megapixels(pixels: int) -> float:
    """Pixels as megapixels with one decimal, for messages."""
    return round(pixels / 1e6, 1)


def decode_image(data: bytes, max_pixels: int = MAX_PIXELS) -> Decoded:
    """Decode untrusted bytes to (H, W, 3) uint8 RGB; anything unsafe or unusable raises ImageError."""
    if not data:
        raise ImageError("decode.empty")
    im = _open(bytes(data), max_pixels)  # the header only: refused here by pixels or by decode memory
    try:
        with DECODE_SLOTS:  # wait for a slot before any pixel memory is taken
            notes: list[Message] = []
            if _load(im, max_pixels):
                notes.append(Message("decode.note_animated"))
            fmt, size = im.format or "", im.size
            upright = _upright(im, notes)
            if upright is not im:
                im.close()  # drop the unrotated pixels before converting the rotated copy
            pixels = _to_rgb(upright, notes)
            upright.close()
    finally:
        im.close()
    return Decoded(pixels, fmt, size, tuple(notes))


def header_pixels(head: bytes) -> int | None:
    """Width × height read from a picture's first bytes by Pillow (no pixel decoded), above MAX_PIXELS for a
    decompression bomb; None when these bytes hold no header of an allowed format."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(head), formats=_OPENERS) as im:
                width, height = im.size
        except Image.DecompressionBombError:
            return 2 * (Image.MAX_IMAGE_PIXELS or MAX_PIXELS)
        except _BROKEN:
            return None
    return width * height


def looks_like_image(head: bytes) -> bool:
    """The bytes start with the signature of an allowed format (then a header Pillow cannot read is damaged)."""
    return head.startswith(_SIGNATURES) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def pil_bytes_per_pixel(mode: str) -> int:
    """Bytes per pixel Pillow stores for a mode: 8-bit modes of 2–4 bands take 4 (RGB too), others bands × depth."""
    try:
        desc = ImageMode.getmode(mode)
    except KeyError:
        return 4
    depth = np.dtype(desc.typestr).itemsize
    return 4 if depth == 1 and len(desc.bands) > 1 else len(desc.bands) * depth


def decode_peak_bytes(mode: str, width: int, height: int) -> int:
    """Estimated peak memory of decode_image from the header: two Pillow copies (decoder buffer or EXIF rotation)
    or one plus the (H, W, 3) output, and one band's temporaries."""
    per_pixel = pil_bytes_per_pixel(mode)
    return width * height * (per_pixel + max(per_pixel, 3)) + BAND_PIXELS * _BAND_BYTES


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read only the header and refuse empty or oversized images before any pixel memory is taken."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=_OPENERS)
        except Image.DecompressionBombError:
            raise ImageError("decode.far_too_many_pixels", cap=_megapixels(max_pixels)) from None
        except _BROKEN:
            raise _unidentified(data) from None
    bomb = any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught)
    width, height = im.size
    if width <= 0 or height <= 0:
        im.close()
        raise ImageError("decode.zero_size", width=width, height=height)
    cap = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)  # Pillow's bomb limit binds too
    if bomb or width * height > cap:
        im.close()
        raise ImageError("decode.too_many_pixels", width=width, height=height,
                         megapixels=_megapixels(width * height), cap=_megapixels(cap))
    peak = decode_peak_bytes(im.mode, width, height)
    if peak > DECODE_BUDGET_MB * 2 ** 20:
        im.close()
        raise ImageError("decode.decode_memory", width=width, height=height, mode=im.mode,
                         mb=round(peak / 2 ** 20), budget=DECODE_BUDGET_MB)
    return im


def _unidentified(data: bytes) -> ImageError:
    """The most helpful error for bytes Pillow could not identify as an allowed format."""
    size = _header_size(data)
    if size is not None and 0 in size:
        return ImageError("decode.zero_size", width=size[0], height=size[1])
    if data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return ImageError("decode.truncated")
    head = data[:1024].lstrip().lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head):
        return ImageError("decode.svg")
    return ImageError("decode.not_image", formats=SHOWN_FORMATS)


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(w, h) read by hand from a PNG, GIF or BMP header, only to explain a refused 0-pixel image."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:4] == b"GIF8" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] == b"BM" and len(data) >= 26 and struct.unpack("<I", data[14:18])[0] >= 40:
        width, height = struct.unpack("<ii", data[18:26])
        return abs(width), abs(height)  # a negative BMP height means top-down rows
    return None


def _load(im: Image.Image, max_pixels: int) -> bool:
    """Decode the first frame fully (truncation shows up here); True if there are more frames."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            animated = bool(getattr(im, "is_animated", False))
            im.seek(0)
            im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageError("decode.far_too_many_pixels", cap=_megapixels(max_pixels)) from None
        except _BROKEN:
            raise ImageError("decode.truncated") from None
    return animated


def _upright(im: Image.Image, notes: list[Message]) -> Image.Image:
    """Apply the EXIF orientation tag so a phone photo is not shown sideways."""
    try:
        orientation = im.getexif().get(0x0112, 1)
        if orientation not in range(2, 9):
            return im
        upright = ImageOps.exif_transpose(im)
    except _BROKEN:
        notes.append(Message("decode.note_exif_ignored"))
        return im
    notes.append(Message("decode.note_rotated"))
    return upright


def _to_rgb(im: Image.Image, notes: list[Message]) -> np.ndarray:
    """Any Pillow mode to (H, W, 3) uint8 RGB, band by band: scale deep images, composite alpha on white."""
    if im.mode in _SIXTEEN_BIT:
        notes.append(Message("decode.note_16bit"))
        return _by_bands(im, lambda band: _sixteen_to_u8(np.asarray(band)))
    if im.mode in _WIDE_RANGE:
        return _range_to_rgb(im, notes)
    if im.mode in _ALPHA_MODES or "transparency" in im.info:
        return _composite_on_white(im, notes)
    return _by_bands(im, lambda band: np.asarray(band.convert("RGB")))


def _bands(im: Image.Image) -> Iterator[tuple[int, Image.Image]]:
    """(top row, crop) of consecutive bands of about BAND_PIXELS pixels, top to bottom."""
    width, height = im.size
    step = max(1, BAND_PIXELS // width)
    for top in range(0, height, step):
        yield top, im.crop((0, top, width, min(height, top + step)))


def _by_bands(im: Image.Image, convert: Callable[[Image.Image], np.ndarray]) -> np.ndarray:
    """(H, W, 3) uint8 filled band by band from convert(crop) -> (rows, W, 3), or (rows, W) for grey."""
    out = np.empty((im.size[1], im.size[0], 3), np.uint8)
    for top, band in _bands(im):
        try:
            part = convert(band)
        except ValueError:  # Pillow cannot convert this mode to RGB
            raise ImageError("decode.bad_mode", mode=im.mode) from None
        out[top:top + part.shape[0]] = part if part.ndim == 3 else part[..., None]
    return out


def _composite_on_white(im: Image.Image, notes: list[Message]) -> np.ndarray:
    """Blend a transparent image over white; note it only if some pixel is actually see-through."""
    lowest = [255]

    def band(part: Image.Image) -> np.ndarray:
        rgba = part.convert("RGBA")
        lowest[0] = min(lowest[0], rgba.getchannel("A").getextrema()[0])
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))

    out = _by_bands(im, band)
    if lowest[0] < 255:
        notes.append(Message("decode.note_alpha"))
    return out


def _sixteen_to_u8(values: np.ndarray) -> np.ndarray:
    """0..65535 to 0..255 by round(v / 257), which maps 65535 to 255 exactly (clipping would not)."""
    wide = values.astype(np.uint32)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def _range_to_rgb(im: Image.Image, notes: list[Message]) -> np.ndarray:
    """Stretch the finite range of a float / int32 image to 0..255 (two passes over bands); NaN and ±inf become 0."""
    low, high, bad = float("inf"), float("-inf"), 0
    for _, band in _bands(im):  # pass 1: the finite range
        values = np.asarray(band)
        finite = values[np.isfinite(values)]
        bad += values.size - finite.size
        if finite.size:
            low, high = min(low, float(finite.min())), max(high, float(finite.max()))
    low, high = (low, high) if low <= high else (0.0, 0.0)  # no finite value at all
    scale = 255.0 / (high - low) if high > low else 0.0  # a constant image becomes all 0

    def stretch(part: Image.Image) -> np.ndarray:
        data = np.asarray(part).astype(np.float64)  # this band's own copy, scaled in place
        data[~np.isfinite(data)] = low  # -> 0 below, without inf × 0 warnings
        data -= low
        data *= scale
        return np.clip(np.rint(data, out=data), 0, 255, out=data).astype(np.uint8)

    out = _by_bands(im, stretch)
    notes.append(Message("decode.note_scaled", {"low": float(f"{low:.4g}"), "high": float(f"{high:.4g}")}))
    if bad:
        notes.append(Message("decode.note_nonfinite", {"count": bad}))
    return out


def _fit(width: int, height: int, long_side: int) -> tuple[int, int]:
    """(w, h) with the long side at most long_side, aspect kept, no side below 1 px, never larger."""
    scale = long_side / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, min(long_side, round(width * scale))), max(1, min(long_side, round(height * scale)))


def to_working(rgb: np.ndarray, long_side: int, grayscale: bool) -> tuple[np.ndarray, tuple[Message, ...]]:
    """Shrink (INTER_AREA, never enlarge) to the working size; (H, W, 1) gray or (H, W, 3) RGB uint8."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8 or 0 in rgb.shape:
        raise ValueError(f"expected a non-empty (H, W, 3) uint8 array, got {rgb.shape} {rgb.dtype}")
    if long_side < 1:
        raise ValueError(f"long_side must be at least 1, got {long_side}")
    height, width = rgb.shape[:2]
    size = _fit(width, height, long_side)
    notes: list[Message] = []
    out = np.ascontiguousarray(rgb)
    if size != (width, height):
        out = cv2.resize(out, size, interpolation=cv2.INTER_AREA)
        notes.append(Message("decode.note_downscaled", {"from_w": width, "from_h": height,
                                                         "to_w": size[0], "to_h": size[1]}))
    if min(size) < SMALL_SIDE:
        notes.append(Message("decode.note_small", {"width": size[0], "height": size[1]}))
    if grayscale:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)[..., None]  # (H, W) -> (H, W, 1)
    elif out is rgb or not out.flags.writeable:
        out = out.copy()  # never hand back the caller's (maybe cached, read-only) array itself
    return out.reshape(size[1], size[0], -1), tuple(notes)
