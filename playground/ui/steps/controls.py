"""Controls of the step-through page: every widget key is made by skey(), limits come from STEP_LIMITS."""
from __future__ import annotations

import cv2
import numpy as np
import streamlit as st

from playground.errors import Message, SpecError
from playground.layers.kernels import SIZE_RULES
from playground.steps import inputs as inp
from playground.steps.problem import OPS, STEP_LIMITS, size_terms
from playground.ui import images as image_source
from playground.ui.state import get_spec, tr, trm

INPUT_SOURCES = ("random", "image", "typed")
KERNEL_SOURCES = ("preset", "layer", "random", "typed")
DEFAULTS = {"op": "conv", "in_src": "random", "k_src": "preset", "preset": "sobel_x", "multi": False,
            "patch_ch": "grey", "layer_filt": 0, "pos": 1, "playing": False, "speed": 1.0}


def skey(name: str) -> str:
    """The one place step-through session keys are made."""
    return f"steps.{name}"


def seed_defaults() -> None:
    """Put each widget's first value into session state once (widgets then take no `value=`)."""
    for name, value in DEFAULTS.items():
        st.session_state.setdefault(skey(name), value)
    for name in ("size", "kernel", "stride", "padding", "dilation", "bias", "seed"):
        st.session_state.setdefault(skey(name), STEP_LIMITS[name].default)


def message(exc: SpecError) -> str:
    """An error's text in the session's language, with `what` (input / kernel) translated too."""
    params = dict(exc.params)
    if "what" in params:
        params["what"] = tr(f"steps.what_{params['what']}")
    return trm(Message(exc.key, params))


def limit_slider(name: str, label_key: str, help_key: str | None = None, **kwargs):
    """A slider whose range and step come from STEP_LIMITS."""
    lim = STEP_LIMITS[name]
    kind = type(lim.default)
    return st.slider(tr(label_key), kind(lim.min), kind(lim.max), step=kind(lim.step), key=skey(name),
                     help=tr(help_key) if help_key else None, **kwargs)


def op_and_channels() -> tuple[str, int]:
    """Operation radio and the three-channel switch."""
    left, right = st.columns([3, 2])
    op = left.radio(tr("steps.op"), OPS, key=skey("op"), horizontal=True, format_func=lambda v: tr(f"steps.ops.{v}"))
    multi = right.toggle(tr("steps.multi"), key=skey("multi"), help=tr("steps.multi_help"))
    return op, 3 if multi else 1


def input_controls(channels: int) -> np.ndarray:
    """Input source and its settings -> (C, H, W); raises SpecError for bad typed text or images."""
    src = st.radio(tr("steps.input_source"), INPUT_SOURCES, key=skey("in_src"), horizontal=True,
                   format_func=lambda v: tr(f"steps.input_sources.{v}"))
    if src == "typed":
        default = inp.format_grid(inp.random_grid(5, channels, 0))
        st.session_state.setdefault(skey("in_text"), default)
        text = st.text_area(tr("steps.typed_input"), key=skey("in_text"), height=150, help=tr("steps.typed_help"))
        return inp.parse_grid(text.replace("−", "-"), channels, "input")
    size = limit_slider("size", "steps.size")
    if src == "random":
        seed = st.number_input(tr("steps.seed"), 0, int(STEP_LIMITS["seed"].max), key=skey("seed"))
        return inp.random_grid(size, channels, int(seed))
    return patch_controls(size, channels)


def patch_controls(size: int, channels: int) -> np.ndarray:
    """Where to cut the patch from the Image lab's image, and which values to keep."""
    image, _ = image_source.working_image(get_spec().image)
    if image is None:
        raise SpecError("steps.image_missing")
    max_top, max_left = inp.patch_limits(image, size)
    top = _position_slider("patch_top", max_top)
    left = _position_slider("patch_left", max_left)
    if channels == 1 and image.shape[2] == 3:
        st.selectbox(tr("steps.patch_channel"), inp.PATCH_CHANNELS, key=skey("patch_ch"),
                     format_func=lambda v: tr(f"steps.patch_channels.{v}"))
    st.caption(tr("steps.patch_note"))
    st.image(marked_image(image, top, left, size), caption=tr("steps.patch_where"), width=320)
    return inp.image_patch(image, top, left, size, st.session_state[skey("patch_ch")], channels)


def marked_image(image: np.ndarray, top: int, left: int, size: int) -> np.ndarray:
    """An RGB copy with a red square round the patch and red cross-hair lines leading to it."""
    marked = np.ascontiguousarray(image[:, :, :3] if image.shape[2] == 3 else np.repeat(image, 3, axis=2))
    h, w = marked.shape[:2]
    thick, red = max(2, max(h, w) // 128), (255, 0, 0)
    mid_r, mid_c = top + size // 2, left + size // 2
    for a, b in (((0, mid_r), (left - 3 * thick, mid_r)), ((left + size + 3 * thick, mid_r), (w, mid_r)),
                 ((mid_c, 0), (mid_c, top - 3 * thick)), ((mid_c, top + size + 3 * thick), (mid_c, h))):
        cv2.line(marked, a, b, red, max(1, thick // 2))
    cv2.rectangle(marked, (left - thick, top - thick), (left + size + thick - 1, top + size + thick - 1), red, thick)
    return marked


def _position_slider(name: str, upper: int) -> int:
    """A 0..upper slider (centred at first); no widget when only 0 is possible."""
    if upper <= 0:
        return 0
    key = skey(name)
    st.session_state[key] = min(st.session_state.get(key, upper // 2), upper)
    return st.slider(tr(f"steps.{name}"), 0, upper, key=key)


def kernel_controls(op: str, channels: int) -> tuple[np.ndarray | None, int]:
    """Conv: kernel source and settings -> ((C, k, k) weight, k); pooling: the window size."""
    if op != "conv":
        return None, limit_slider("kernel", "steps.pool_size")
    src = st.radio(tr("steps.kernel_source"), KERNEL_SOURCES, key=skey("k_src"), horizontal=True,
                   format_func=lambda v: tr(f"steps.kernel_sources.{v}"))
    if src == "preset":
        name = st.selectbox(tr("steps.preset"), tuple(SIZE_RULES), key=skey("preset"),
                            format_func=lambda v: tr(f"steps.presets.{v}"))
        sizes = inp.preset_sizes(name)
        key = skey("preset_k")
        if st.session_state.get(key) not in sizes:
            st.session_state[key] = 3 if 3 in sizes else sizes[0]
        k = st.selectbox(tr("steps.kernel_size"), sizes, key=key)
        weight = inp.preset_kernel(name, k, channels)
    elif src == "layer":
        weight = layer_controls(channels)
    elif src == "random":
        k = limit_slider("kernel", "steps.kernel_size")
        weight = inp.random_kernel(k, channels, int(st.session_state[skey("seed")]))
    else:
        st.session_state.setdefault(skey("k_text"), "1 0 -1\n2 0 -2\n1 0 -1")
        text = st.text_area(tr("steps.typed_kernel"), key=skey("k_text"), height=120, help=tr("steps.typed_help"))
        weight = inp.parse_grid(text.replace("−", "-"), channels, "kernel")
    return weight, weight.shape[-1]


def init_name(init: str) -> str:
    """A conv layer's weight source in words: a preset's name, random or typed."""
    return tr(f"steps.more.init_{init}") if init in ("random", "custom") else tr(f"steps.presets.{init}")


def layer_controls(channels: int) -> np.ndarray:
    """Pick a conv layer of the Layer lab and one of its filters."""
    spec = get_spec()
    indices = inp.conv_layers(spec.net)
    if not indices:
        raise SpecError("steps.no_layers")
    layers = spec.net.layers
    index = st.selectbox(tr("steps.layer"), indices, key=skey("layer"), format_func=lambda i: tr(
        "steps.layer_option", i=i, k=layers[i - 1].kernel, init=init_name(layers[i - 1].init)))
    top = layers[index - 1].out_channels - 1
    key = skey("layer_filt")
    st.session_state[key] = min(st.session_state.get(key, 0), top)
    filt = st.number_input(tr("steps.filt"), 0, top, key=key) if top > 0 else 0
    st.caption(tr("steps.layer_note", f=filt))
    in_channels = 1 if spec.image.grayscale else 3
    return inp.layer_kernel(spec.net, index, int(filt), channels, in_channels)


def geometry_controls(op: str) -> tuple[float, int, int, int]:
    """Bias, stride, padding, dilation sliders, each with a one-line reason next to it."""
    bias = limit_slider("bias", "steps.bias", "steps.bias_help") if op == "conv" else 0.0
    stride = limit_slider("stride", "steps.stride")
    st.caption(tr("steps.stride_why"))
    padding = limit_slider("padding", "steps.padding")
    st.caption(tr("steps.padding_why"))
    if op == "conv":
        dilation = limit_slider("dilation", "steps.dilation")
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
