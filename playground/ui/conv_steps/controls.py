"""Controls of the step-through page, each bound to a "view.steps.*" path (limits from the one limits table)."""
from __future__ import annotations

import cv2
import numpy as np
import streamlit as st

from playground.errors import SpecError
from playground.layers.kernels import SIZE_RULES
from playground.layers.shapes import size_terms
from playground.steps import inputs as inp
from playground.steps.problem import OPS
from playground.ui import bind, images
from playground.ui.state import get_spec, read, tr, view, write

INPUT_SOURCES = ("random", "image", "typed")
KERNEL_SOURCES = ("preset", "layer", "random", "typed")
POOL_START = {"kernel": 2, "stride": 2}  # unless the student set them already


def path(name: str) -> str:
    """The view path of one step-through setting."""
    return f"view.steps.{name}"


def value(name: str):
    """The stored value of one step-through setting."""
    return read(path(name))


def _slider(name: str, label_key: str, help_key: str | None = None, **kwargs):
    return bind.slider(path(name), label_key, help_key, **kwargs)


def _radio(name: str, label_key: str, options: tuple, prefix: str):
    return bind.choice(path(name), label_key, prefix, horizontal=True, options=options)


def op_and_channels() -> tuple[str, int]:
    """Operation radio and the three-channel switch."""
    left, right = st.columns([3, 2])
    with left:
        op = _radio("op", "steps.op", OPS, "steps.ops")
    if op != "conv":  # a 3×3 max over digits 0–9 is nearly always 9: pooling starts as the usual 2×2, stride 2
        for name, start in POOL_START.items():
            view().setdefault(f"steps.{name}", start)
    with right:
        multi = bind.toggle(path("multi"), "steps.multi", "steps.multi_help")
    return op, 3 if multi else 1


def input_controls(channels: int, op: str = "conv") -> np.ndarray:
    """Input source and its settings -> (C, H, W); raises SpecError for bad typed text or images."""
    src = _radio("in_src", "steps.input_source", INPUT_SOURCES, "steps.input_sources")
    if src == "typed":
        if not value("in_text"):  # first visit: a seeded example to edit
            view()["steps.in_text"] = inp.format_grid(inp.random_grid(5, channels, 0))
        text = bind.control(path("in_text"), st.text_area, label=tr("steps.typed_input"), height=150,
                            help=tr("steps.typed_help"))
        return inp.parse_grid(text.replace("−", "-"), channels, "input")
    size = _slider("size", "steps.size")
    if src == "random":
        lim = bind.limit_of(path("seed"))
        seed = bind.control(path("seed"), st.number_input, label=tr("steps.seed"), min_value=int(lim.min),
                            max_value=int(lim.max))
        make = inp.distinct_grid if op == "maxpool" else inp.random_grid  # max pooling: maxima that differ
        return make(size, channels, int(seed))
    return patch_controls(size, channels)


def patch_controls(size: int, channels: int) -> np.ndarray:
    """Where to cut the patch from the Image lab's image, and which values to keep."""
    image, _ = images.working_image(get_spec().image)
    if image is None:
        raise SpecError("steps.image_missing")
    max_top, max_left = inp.patch_limits(image, size)
    top = _position_slider("patch_top", max_top)
    left = _position_slider("patch_left", max_left)
    if channels == 1 and image.shape[2] == 3:
        bind.choice(path("patch_ch"), "steps.patch_channel", "steps.patch_channels", options=inp.PATCH_CHANNELS)
    st.caption(tr("steps.patch_note"))
    st.image(marked_image(image, top, left, size), caption=tr("steps.patch_where"), width=320,
             alt=tr("a11y.patch", size=size, top=top, left=left))
    return inp.image_patch(image, top, left, size, value("patch_ch"), channels)


def marked_image(image: np.ndarray, top: int, left: int, size: int) -> np.ndarray:
    """An RGB copy with a red square round the patch and red cross-hair lines leading to it."""
    marked = np.array(image[:, :, :3] if image.shape[2] == 3 else np.repeat(image, 3, axis=2), order="C")
    h, w = marked.shape[:2]
    thick, red = max(2, max(h, w) // 128), (255, 0, 0)
    mid_r, mid_c = top + size // 2, left + size // 2
    for a, b in (((0, mid_r), (left - 3 * thick, mid_r)), ((left + size + 3 * thick, mid_r), (w, mid_r)),
                 ((mid_c, 0), (mid_c, top - 3 * thick)), ((mid_c, top + size + 3 * thick), (mid_c, h))):
        cv2.line(marked, a, b, red, max(1, thick // 2))
    cv2.rectangle(marked, (left - thick, top - thick), (left + size + thick - 1, top + size + thick - 1), red, thick)
    return marked


def _position_slider(name: str, upper: int) -> int:
    """A 0..upper slider (centred at first, kept inside a smaller image); no widget when only 0 is possible."""
    if upper <= 0:
        return 0
    stored = value(name)
    if not 0 <= stored <= upper:
        write(path(name), upper // 2 if stored < 0 else upper)
    return bind.control(path(name), st.slider, label=tr(f"steps.{name}"), min_value=0, max_value=upper)


def kernel_controls(op: str, channels: int) -> tuple[np.ndarray | None, int]:
    """Conv: kernel source and settings -> ((C, k, k) weight, k); pooling: the window size."""
    if op != "conv":
        return None, _slider("kernel", "steps.pool_size")
    src = _radio("k_src", "steps.kernel_source", KERNEL_SOURCES, "steps.kernel_sources")
    if src == "preset":
        name = bind.choice(path("preset"), "steps.preset", "steps.presets", options=tuple(SIZE_RULES))
        sizes = inp.preset_sizes(name)
        if value("preset_k") not in sizes:
            write(path("preset_k"), 3 if 3 in sizes else sizes[0])
        k = bind.control(path("preset_k"), st.selectbox, label=tr("steps.kernel_size"), options=sizes)
        weight = inp.preset_kernel(name, k, channels)
    elif src == "layer":
        weight = layer_controls(channels)
    elif src == "random":
        k = _slider("kernel", "steps.kernel_size")
        weight = inp.random_kernel(k, channels, int(value("seed")))
    else:
        text = bind.control(path("k_text"), st.text_area, label=tr("steps.typed_kernel"), height=120,
                            help=tr("steps.typed_help"))
        weight = inp.parse_grid(text.replace("−", "-"), channels, "kernel")
    return weight, weight.shape[-1]


def init_name(init: str) -> str:
    """A conv layer's weight source in words: a preset's name, random or typed."""
    if init == "sized":
        return tr("layers.inits.sized")
    return tr(f"steps.more.init_{init}") if init in ("random", "custom") else tr(f"steps.presets.{init}")


def layer_controls(channels: int) -> np.ndarray:
    """Pick a conv layer of the Layer lab and one of its filters."""
    spec = get_spec()
    indices = inp.conv_layers(spec.net)
    if not indices:
        raise SpecError("steps.no_layers")
    layers = spec.net.layers
    if value("layer") not in indices:
        write(path("layer"), indices[0])
    names = {i: tr("steps.layer_option", i=i, k=layers[i - 1].kernel, init=init_name(layers[i - 1].init)) for i in indices}
    index = bind.control(path("layer"), st.selectbox, label=tr("steps.layer"), options=indices, format_func=names.__getitem__)
    top = layers[index - 1].out_channels - 1
    if value("layer_filt") > top:
        write(path("layer_filt"), top)
    filt = bind.control(path("layer_filt"), st.number_input, label=tr("steps.filt"), min_value=0,
                        max_value=top) if top > 0 else 0
    st.caption(tr("steps.layer_note", f=filt))
    in_channels = 1 if spec.image.grayscale else 3
    return inp.layer_kernel(spec.net, index, int(filt), channels, in_channels)


def geometry_controls(op: str) -> tuple[float, int, int, int]:
    """Bias, stride, padding, dilation sliders, each with a one-line reason next to it."""
    bias = _slider("bias", "steps.bias", "steps.bias_help") if op == "conv" else 0.0
    stride = _slider("stride", "steps.stride")
    st.caption(tr("steps.stride_why"))
    padding = _slider("padding", "steps.padding")
    st.caption(tr("steps.padding_why"))
    if op == "conv":
        dilation = _slider("dilation", "steps.dilation")
        st.caption(tr("steps.dilation_why"))
    else:
        dilation = 1
        st.caption(tr("steps.pool_why"))
        st.caption(tr("steps.pool_pad_note"))
    return bias, stride, padding, dilation


def formula_lines(h: int, w: int, k: int, s: int, p: int, d: int) -> list[str]:
    """The output-size rule filled in for height (and width when it differs)."""
    axes = [("H", h)] if h == w else [("H", h), ("W", w)]
    return [tr("steps.formula", axis=axis, **size_terms(n, k, s, p, d)) for axis, n in axes]
