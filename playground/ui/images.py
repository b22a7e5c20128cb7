"""Image input for the pages: uploads and camera shots decoded once, samples, all cached by value."""
from __future__ import annotations

import numpy as np
import streamlit as st

from playground import memory, shared
from playground.cache import ByteLRU
from playground.errors import ImageError, Message, SpecError
from playground.image.decode import DECODE_BUDGET_MB, Decoded, decode_image, image_digest, to_working
from playground.image.samples import load_sample
from playground.spec import ImageSpec
from playground.ui.state import IMAGES, IMAGES_TRIED, tab_slot

# Largest photo a student may upload. server.maxUploadSize in .streamlit/config.toml is set higher, so a file a
# little over this cap reaches us and gets a message in the page's language naming the file.
MAX_FILE_BYTES = 10 * 2 ** 20


# Process-wide caches bounded by bytes (playground/cache.py): st.cache_data(max_entries=32) kept 32 pictures
# whatever their size, and sixteen 4000² PNGs from one student held 768 MB. A full-size decode is up to 48 MB
# (16 MP × 3), so DECODED keeps about four of them; working-size pictures are at most a few MB each.
DECODED = ByteLRU(192 * 2 ** 20)
WORKING = ByteLRU(64 * 2 ** 20)


def _frozen(array: np.ndarray) -> np.ndarray:
    """The array made read-only: a cached value is shared by every session, nobody may change it in place."""
    array.flags.writeable = False
    return array


def _decode(data: bytes, digest: str | None = None) -> Decoded:
    """Decode once per distinct file (keyed on the SHA-256 of its bytes); ImageError for a bad file (not kept)."""
    def compute() -> Decoded:
        decoded = decode_image(data)
        _frozen(decoded.pixels)
        return decoded
    return DECODED.get_or_compute(digest or image_digest(data), compute)


def _working_from_bytes(data: bytes, digest: str, long_side: int,
                        grayscale: bool) -> tuple[np.ndarray, tuple[Message, ...]]:
    def compute():
        decoded = _decode(data, digest)
        working, notes = to_working(decoded.pixels, long_side, grayscale)
        return _frozen(working), decoded.notes + notes + _not_enlarged(decoded.pixels, long_side)
    return WORKING.get_or_compute(("bytes", digest, long_side, grayscale), compute)


def _working_from_sample(name: str, long_side: int, grayscale: bool) -> tuple[np.ndarray, tuple[Message, ...]]:
    def compute():
        rgb = load_sample(name)
        working, notes = to_working(rgb, long_side, grayscale)
        return _frozen(working), notes + _not_enlarged(rgb, long_side)
    return WORKING.get_or_compute(("sample", name, long_side, grayscale), compute)


def _not_enlarged(rgb: np.ndarray, long_side: int) -> tuple[Message, ...]:
    """Say so when the working-size slider cannot act: images are shrunk to it, never enlarged."""
    h, w = rgb.shape[:2]
    if max(h, w) >= long_side:
        return ()
    return (Message("image.note_not_enlarged", {"w": w, "h": h, "side": long_side, "long": max(h, w)}),)


def receive(slot: str, uploaded) -> None:
    """Try a newly chosen file once: keep it for the slot if it decodes, else remember why it was refused."""
    if uploaded is None:
        return
    tried = tab_slot(IMAGES_TRIED, dict)
    size = uploaded.size
    if size > MAX_FILE_BYTES:  # refused before reading: the bytes are not even hashed
        tried[slot] = Message("image.file_refused", {"name": uploaded.name, "reason": Message(
            "image.file_too_big", {"mb": round(size / 2 ** 20, 1), "cap": MAX_FILE_BYTES // 2 ** 20})})
        return
    data = uploaded.getvalue()
    digest = image_digest(data)
    try:
        if digest not in DECODED:  # a new picture to decode (up to 48 MB): not past the server's memory ceiling
            memory.check("decode", need=DECODE_BUDGET_MB * 2 ** 20)  # the largest decode the caps allow
        _decode(data, digest)
    except (ImageError, SpecError) as exc:
        tried[slot] = Message("image.file_refused", {"name": uploaded.name, "reason": exc.message})
        return
    tried.pop(slot, None)  # a new good file: an earlier refusal no longer applies
    tab_slot(IMAGES, dict)[slot] = {"data": data, "name": uploaded.name, "digest": digest}


def refusal(slot: str) -> Message | None:
    """Why the last file chosen for a slot was refused (shown until another file is chosen), or None."""
    return st.session_state.get(IMAGES_TRIED, {}).get(slot)


def stored_name(slot: str) -> str | None:
    """The file name of the image kept in a slot (plain text: show it with st.text only)."""
    item = st.session_state.get(IMAGES, {}).get(slot)
    return item["name"] if item else None


def working_image(spec: ImageSpec) -> tuple[np.ndarray | None, tuple[Message, ...]]:
    """The working-size (H, W, C) uint8 image for the spec's source, or None if that slot is empty."""
    if spec.source == "sample":
        return _working_from_sample(spec.sample, spec.long_side, spec.grayscale)
    item = st.session_state.get(IMAGES, {}).get(spec.source)
    if item is None:
        return None, ()
    return _working_from_bytes(item["data"], item["digest"], spec.long_side, spec.grayscale)


def picture(target, pixels, caption: str) -> None:
    """An image that fills its column, with its caption doubling as alternative text.

    A uint8 picture is encoded once for the whole server (shared.jpeg): forty sessions showing the same
    sample send the same bytes, which Streamlit's media store also keeps once.
    """
    if isinstance(pixels, np.ndarray) and pixels.dtype == np.uint8 and (pixels.ndim == 2 or pixels.shape[-1] in (1, 3)):
        target.image(shared.jpeg(pixels), caption=caption, alt=caption, width="stretch", output_format="JPEG")
        return
    target.image(pixels, caption=caption, alt=caption, width="stretch", clamp=True)
