"""AppTest: the Layer lab's receptive field at the edges, said in words (padding only, adaptive pools, BatchNorm)."""
from __future__ import annotations

import json

from playground.i18n import t
from playground.layers.shapes import validate
from playground.spec import LayerSpec as L
from playground.spec import NetSpec
from testkit.apptest import open_app
from testkit.markdown import tables


def layer_lab(layers: list[dict], lang: str = "en"):
    return open_app("pages/layer_lab.py", lang=lang, timeout=90, query={"net.layers": json.dumps(layers)})


def zoom_at(at, layer: int, y: int, x: int):
    at.toggle(key="w.view.layers.zoom").set_value(True).run()
    at.selectbox(key="w.view.layers.zoom_layer").set_value(layer).run()
    at.number_input(key="w.view.layers.zoom_y").set_value(y).run()
    at.number_input(key="w.view.layers.zoom_x").set_value(x).run()
    assert not at.exception
    return [c.value for c in at.caption]


def test_an_output_that_reads_only_padding_says_so():
    at = layer_lab([{"kind": "conv", "out_channels": 1, "kernel": 1, "padding": 1}])
    captions = zoom_at(at, 1, 0, 0)
    assert t("families.rf.only_padding", "en", i=1, name="Conv2d", y=0, x=0) in captions
    assert not any("rows 0–-" in c or "-2×-2" in c for c in captions)


def test_batchnorm_says_the_whole_image(lang="zh"):
    at = layer_lab([{"kind": "conv", "out_channels": 2, "kernel": 3}, {"kind": "batchnorm"}], lang=lang)
    rf = [row[t("layers.table.rf", lang)] for row in tables(m.value for m in at.markdown)[0]]
    assert rf[1] == t("families.rf.whole", lang)
    captions = zoom_at(at, 2, 0, 0)
    assert any(c.startswith(t("families.rf.whole_text", lang, i=2, name="BatchNorm2d", y=0, x=0, j=2,
                                norm="BatchNorm2d", y0=0, y1=0, x0=0, x1=0)[:20]) for c in captions)


def test_adaptive_pool_field_shows_height_and_width():
    at = layer_lab([{"kind": "conv", "out_channels": 1, "kernel": 3}, {"kind": "adaptiveavgpool", "out_size": 4}])
    rows = tables(m.value for m in at.markdown)[0]
    c, h, w = (int(v) for v in rows[0][t("layers.table.input", "en")].split("×"))
    info = validate(NetSpec((L("conv", 1, 3), L("adaptiveavgpool", out_size=4))), (c, h, w))[-1]
    value = t("families.rf.value_steps", "en", h=info.rf_size, w=info.rf_size_w, jh=f"{info.rf_jump:g}",
              jw=f"{info.rf_jump_w:g}")
    assert rows[1][t("layers.table.rf", "en")] == t("families.rf.uneven", "en", value=value)
    assert info.rf_size != info.rf_size_w  # the photo is wider than high: the field is too


def test_a_transposed_conv_row_shows_its_shape_and_kernel():
    """A ConvTranspose2d row: the table says the map grows, the zoom shows its (in, k, k) kernel."""
    at = layer_lab([{"kind": "conv", "out_channels": 2, "kernel": 3, "stride": 2},
                    {"kind": "convtranspose", "out_channels": 3, "kernel": 2, "stride": 2}])
    assert not at.exception and not at.error
    rows = tables(m.value for m in at.markdown)[0]
    _, h, w = (int(v) for v in rows[1][t("layers.table.input", "en")].split("×"))
    assert rows[1][t("layers.table.output", "en")] == f"3×{2 * h}×{2 * w}"  # (H − 1)·2 + 2
    zoom_at(at, 2, 0, 0)
    assert len(at.get("plotly_chart")) == 3  # map, kernel, histogram
