"""The receptive field in words and on the picture: the shape table's cell and the zoom's caption and outline.

The numbers come from the layers' families (playground/layers/shapes.py: LayerInfo's field, `footprint`).
"""
from __future__ import annotations

import streamlit as st

from playground.layers.shapes import LayerInfo, footprint
from playground.tiles import encode_jpeg, outline_region
from playground.ui.state import tr


def _num(v: float) -> str:
    return f"{v:g}"


def table_cell(row: LayerInfo) -> str:
    """'5×5, step 2'; 'up to 45×66, step 42×64' when windows differ; 'the whole image' after BatchNorm."""
    if row.rf_whole:
        return tr("families.rf.whole")
    key = "families.rf.value" if row.rf_jump == row.rf_jump_w else "families.rf.value_steps"
    value = tr(key, h=row.rf_size, w=row.rf_size_w, jh=_num(row.rf_jump), jw=_num(row.rf_jump_w))
    return tr("families.rf.uneven", value=value) if row.rf_uneven else value


def receptive_field(result, layer: int, y: int, x: int) -> None:
    """The input pixels output (y, x) of the layer reads, outlined on the input image, and said in words."""
    rows, row = result.rows, result.rows[layer - 1]
    seen = footprint(rows, layer, y, x)
    st.markdown(f"**{tr('layers.rf.title')}**")
    image = result.image if result.image.shape[-1] == 3 else result.image.repeat(3, -1)
    box = seen.box
    if box is None:  # only padding reaches it: nothing of the image is lit
        st.caption(tr("families.rf.only_padding", i=layer, name=row.name, y=y, x=x))
        st.image(encode_jpeg(outline_region(image, None)), width="stretch", alt=tr("families.rf.none_alt"))
        return
    y0, x0, y1, x1 = box
    h, w = y1 - y0 + 1, x1 - x0 + 1
    if seen.whole_at is not None:
        norm = rows[seen.whole_at - 1].name
        text = tr("families.rf.whole_text", i=layer, name=row.name, y=y, x=x, j=seen.whole_at, norm=norm,
                  y0=y0, y1=y1, x0=x0, x1=x1)
    else:
        text = tr("layers.rf.text", i=layer, name=row.name, y=y, x=x, y0=y0, y1=y1, x0=x0, x1=x1, h=h, w=w)
        if h < row.rf_size or w < row.rf_size_w:
            text += tr("families.rf.cut", h=row.rf_size, w=row.rf_size_w)
        if row.rf_uneven:
            text += tr("families.rf.uneven_note", h=row.rf_size, w=row.rf_size_w)
    st.caption(text)
    st.image(encode_jpeg(outline_region(image, box)), width="stretch",
             alt=tr("a11y.region", y0=y0, y1=y1, x0=x0, x1=x1))
