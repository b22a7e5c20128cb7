"""The framework floor: one slider and one st.image whose picture follows it (bench/bench_stage.py's baseline).

Each value's picture (480×320 JPEG, about the stage's output grid) is made once per process, so a release costs
only Streamlit's own round trip: rerun, one delta, one media file.
"""
import io

import numpy as np
import streamlit as st
from PIL import Image


@st.cache_resource
def picture(value: int) -> bytes:
    """A smooth random 480×320 picture for one slider value, JPEG-encoded once."""
    rng = np.random.default_rng(value)
    small = rng.integers(0, 256, (8, 12, 3), np.uint8)
    img = Image.fromarray(small).resize((480, 320), Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88)
    return buf.getvalue()


k = st.slider("Kernel size k", 1, 11, 3, key="bare")
st.image(picture(k), alt=f"picture {k}")
