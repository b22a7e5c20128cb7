"""Image input for the pages: uploads and camera shots decoded once, samples, all cached by value."""
from __future__ import annotations

import numpy as np
import streamlit as st

from playground.errors import ImageError, Message
from playground.image.decode import Decoded, decode_image, image_digest, to_working
from playground.image.samples import load_sample
from playground.spec import ImageSpec
from playground.ui.state import IMAGES, IMAGES_TRIED


@st.cache_data(max_entries=32, show_spinner=False)
def _decode(data: bytes) -> Decoded:
    """Decode once per distinct file (keyed on the whole bytes)."""
    return decode_image(data)


@st.cache_data(max_entries=64, show_spinner=False)
def _working_from_bytes(data: bytes, long_side: int, grayscale: bool) -> tuple[np.ndarray, tuple[Message, ...]]:
    decoded = _decode(data)
    working, notes = to_working(decoded.pixels, long_side, grayscale)
    return working, decoded.notes + notes


@st.cache_data(max_entries=32, show_spinner=False)
def _working_from_sample(name: str, long_side: int, grayscale: bool) -> tuple[np.ndarray, tuple[Message, ...]]:
    return to_working(load_sample(name), long_side, grayscale)


def receive(slot: str, uploaded) -> Message | None:
    """Try a newly uploaded file once; keep the last good one for the slot. Returns the error to show, if any."""
    if uploaded is None:
        return None
    data = uploaded.getvalue()
    digest = image_digest(data)
    tried = st.session_state.setdefault(IMAGES_TRIED, {})
    if slot in tried and tried[slot][0] == digest:
        return tried[slot][1]
    error = None
    try:
        _decode(data)
        st.session_state.setdefault(IMAGES, {})[slot] = {"data": data, "name": uploaded.name, "digest": digest}
    except ImageError as exc:
        error = exc.message
    tried[slot] = (digest, error)
    return error


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
    return _working_from_bytes(item["data"], spec.long_side, spec.grayscale)


def picture(target, pixels, caption: str) -> None:
    """An image that fills its column, with its caption doubling as alternative text."""
    target.image(pixels, caption=caption, alt=caption, width="stretch", clamp=True)
