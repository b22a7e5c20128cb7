"""Safe image input: untrusted bytes in, a defined 8-bit RGB array out, or an ImageError with a key."""
from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps

from playground.errors import ImageError, Message

MAX_PIXELS = 16_000_000
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
        raise ImageError("imageio.empty")
    im = _open(bytes(data), max_pixels)
    try:
        notes: list[Message] = []
        if _load(im, max_pixels):
            notes.append(Message("imageio.note_animated"))
        fmt, size = im.format or "", im.size
        pixels = _to_rgb(_upright(im, notes), notes)
    finally:
        im.close()
    return Decoded(pixels, fmt, size, tuple(notes))


def _open(data: bytes, max_pixels: int) -> Image.Image:
    """Read only the header and refuse empty or oversized images before any pixel memory is taken."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data), formats=_OPENERS)
        except Image.DecompressionBombError:
            raise ImageError("imageio.far_too_many_pixels", cap=_megapixels(max_pixels)) from None
        except _BROKEN:
            raise _unidentified(data) from None
    bomb = any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught)
    width, height = im.size
    if width <= 0 or height <= 0:
        im.close()
        raise ImageError("imageio.zero_size", width=width, height=height)
    cap = min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels)  # Pillow's bomb limit binds too
    if bomb or width * height > cap:
        im.close()
        raise ImageError("imageio.too_many_pixels", width=width, height=height,
                         megapixels=_megapixels(width * height), cap=_megapixels(cap))
    return im


def _unidentified(data: bytes) -> ImageError:
    """The most helpful error for bytes Pillow could not identify as an allowed format."""
    size = _header_size(data)
    if size is not None and 0 in size:
        return ImageError("imageio.zero_size", width=size[0], height=size[1])
    if data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return ImageError("imageio.truncated")
    head = data[:1024].lstrip().lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head):
        return ImageError("imageio.svg")
    return ImageError("imageio.not_image", formats=SHOWN_FORMATS)


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
            raise ImageError("imageio.far_too_many_pixels", cap=_megapixels(max_pixels)) from None
        except _BROKEN:
            raise ImageError("imageio.truncated") from None
    return animated


def _upright(im: Image.Image, notes: list[Message]) -> Image.Image:
    """Apply the EXIF orientation tag so a phone photo is not shown sideways."""
    try:
        orientation = im.getexif().get(0x0112, 1)
        if orientation not in range(2, 9):
            return im
        upright = ImageOps.exif_transpose(im)
    except _BROKEN:
        notes.append(Message("imageio.note_exif_ignored"))
        return im
    notes.append(Message("imageio.note_rotated"))
    return upright


def _to_rgb(im: Image.Image, notes: list[Message]) -> np.ndarray:
    """Any Pillow mode to (H, W, 3) uint8 RGB: scale deep images, composite alpha on white."""
    if im.mode in _SIXTEEN_BIT or im.mode in _WIDE_RANGE:
        gray = _sixteen_to_u8(np.asarray(im), notes) if im.mode in _SIXTEEN_BIT \
            else _range_to_u8(np.asarray(im), notes)
        return np.repeat(gray[..., None], 3, axis=2)
    if im.mode in _ALPHA_MODES or "transparency" in im.info:
        return _composite_on_white(im, notes)
    try:
        rgb = im.convert("RGB")
    except ValueError:
        raise ImageError("imageio.bad_mode", mode=im.mode) from None
    return np.array(rgb, dtype=np.uint8)


def _composite_on_white(im: Image.Image, notes: list[Message]) -> np.ndarray:
    """Blend a transparent image over white; note it only if some pixel is actually see-through."""
    try:
        rgba = im.convert("RGBA")
    except ValueError:
        raise ImageError("imageio.bad_mode", mode=im.mode) from None
    if rgba.getchannel("A").getextrema()[0] < 255:
        notes.append(Message("imageio.note_alpha"))
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return np.array(Image.alpha_composite(white, rgba).convert("RGB"), dtype=np.uint8)


def _sixteen_to_u8(values: np.ndarray, notes: list[Message]) -> np.ndarray:
    """0..65535 to 0..255 by round(v / 257), which maps 65535 to 255 exactly (clipping would not)."""
    notes.append(Message("imageio.note_16bit"))
    wide = values.astype(np.uint32)
    return ((wide * 255 + 32767) // 65535).astype(np.uint8)


def _range_to_u8(values: np.ndarray, notes: list[Message]) -> np.ndarray:
    """Stretch the finite range of a float / int32 image to 0..255; NaN and ±inf become 0."""
    data = values.astype(np.float64)  # our own copy, scaled in place to keep peak memory down
    finite = np.isfinite(data)
    bad = int(data.size - np.count_nonzero(finite))
    data[~finite] = np.nan
    low, high = (float(np.nanmin(data)), float(np.nanmax(data))) if bad < data.size else (0.0, 0.0)
    data -= low
    data *= 255.0 / (high - low) if high > low else 0.0  # a constant image becomes all 0
    np.nan_to_num(data, copy=False, nan=0.0)
    notes.append(Message("imageio.note_scaled", {"low": float(f"{low:.4g}"), "high": float(f"{high:.4g}")}))
    if bad:
        notes.append(Message("imageio.note_nonfinite", {"count": bad}))
    return np.clip(np.rint(data), 0, 255).astype(np.uint8)


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
        notes.append(Message("imageio.note_downscaled", {"from_w": width, "from_h": height,
                                                         "to_w": size[0], "to_h": size[1]}))
    if min(size) < SMALL_SIDE:
        notes.append(Message("imageio.note_small", {"width": size[0], "height": size[1]}))
    if grayscale:
        out = cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)[..., None]  # (H, W) -> (H, W, 1)
    elif out is rgb or not out.flags.writeable:
        out = out.copy()  # never hand back the caller's (maybe cached, read-only) array itself
    return out.reshape(size[1], size[0], -1), tuple(notes)
