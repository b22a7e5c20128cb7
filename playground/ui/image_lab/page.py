"""Image lab: choose an image, flip / rotate it, normalize it, see the numbers handed to the first layer."""
from __future__ import annotations

import streamlit as st

from playground.errors import SpecError
from playground.image import augment as aug
from playground.image.codegen import pipeline_code
from playground.image.normalize import DISPLAY_LIMIT, display_fixed
from playground.image.pipeline import prepare, prepare_bytes
from playground.shared import SerializedFigure, digest, shared
from playground.ui import alt, bind, explain, images, messages, theme
from playground.ui.exercises import panel as exercises
from playground.ui.image_lab import compare
from playground.ui.image_lab.figures import histogram_figure
from playground.ui.images import picture
from playground.ui.state import UPLOAD_ROUND, get_spec, tr, widget_key
from playground.ui.tables import table


def source_section():
    """Source radio, sample / upload / camera input, working size and colour choice."""
    st.subheader(tr("image.step_source"))
    source = bind.choice("image.source", "image.source", "image.sources", horizontal=True)
    if source == "sample":
        bind.choice("image.sample", "image.sample", "samples")
    else:
        file_input(source)
    bind.slider("image.long_side", "image.long_side", "image.long_side_help")
    bind.toggle("image.grayscale", "image.grayscale", "image.grayscale_help")


def _handled(source: str) -> None:
    """on_change of the file input: decode the new file, then empty the input so refused files do not pile up."""
    key = widget_key(f"input.{source}.{st.session_state.get(UPLOAD_ROUND, 0)}")
    images.receive(source, st.session_state.get(key))
    if source == "upload":
        st.session_state[UPLOAD_ROUND] = st.session_state.get(UPLOAD_ROUND, 0) + 1


def file_input(source: str) -> None:
    """The upload box or the camera, the size limit, the file in use, and why the last file was refused."""
    key = widget_key(f"input.{source}.{st.session_state.get(UPLOAD_ROUND, 0)}")
    if source == "upload":
        st.file_uploader(tr("image.upload"), type=None, key=key, on_change=_handled, args=(source,),
                         help=tr("image.upload_limit", cap=images.MAX_FILE_BYTES // 2 ** 20))
        st.caption(tr("image.upload_limit", cap=images.MAX_FILE_BYTES // 2 ** 20))
    else:
        st.camera_input(tr("image.camera"), key=key, on_change=_handled, args=(source,))
    if (why := images.refusal(source)) is not None:
        kept = tr("image.upload_failed") if images.stored_name(source) else ""
        st.error(f"{messages.text(why)} {kept}")
    if images.stored_name(source):
        st.caption(tr("image.kept_file"))
        st.text(images.stored_name(source))


def augment_controls():
    """Fixed flip / rotate, or the probabilities and range of seeded random draws."""
    st.subheader(tr("image.step_augment"))
    st.caption(tr("image.augment_help"))
    mode = bind.choice("augment.mode", "image.mode", "image.modes", horizontal=True)
    if mode == "fixed":
        bind.choice("augment.flip", "image.flip", "image.flips")
        bind.slider("augment.angle", "image.angle")
    else:
        bind.slider("augment.p_hflip", "image.p_hflip")
        bind.slider("augment.p_vflip", "image.p_vflip")
        bind.slider("augment.max_angle", "image.max_angle")
        bind.slider("augment.seed", "image.seed")
        bind.slider("augment.count", "image.count")
    bind.choice("augment.border", "image.border", "image.borders")
    bind.toggle("augment.expand", "image.expand")


def random_grid(working):
    """N random augmentations of the working image, four to a row, each captioned with its draw."""
    spec = get_spec().augment
    st.caption(tr("image.random_note"))
    draws = aug.random_params(spec)
    cols = st.columns(4)
    for i, p in enumerate(draws):
        caption = tr("image.tile", i=i + 1, flip=tr(f"image.flips.{p.flip}"), angle=p.angle)
        tile = shared("image.random", (digest(working), p, spec.border, spec.expand),
                      lambda p=p: aug.apply(working, p, spec.border, spec.expand))
        picture(cols[i % 4], tile, caption)


def norm_section(prepared, channels):
    """Before/after histograms and per-channel stats (left); the normalized image (right)."""
    for note in prepared.notes:
        st.info(messages.text(note))
    names = [tr(f"image.channels.{c}") for c in channels]
    left, right = st.columns([3, 2])
    with left:
        before, after = st.columns(2)  # two charts, not subplots: on a phone they stack and their titles never overlap
        before.plotly_chart(histogram(prepared.augmented, tr("image.hist_before"), names), width="stretch",
                            key="hist_before", alt=alt.histogram(tr("image.hist_before"), prepared.augmented))
        after.plotly_chart(histogram(prepared.normalized, tr("image.hist_after"), names), width="stretch",
                           key="hist_after", alt=alt.histogram(tr("image.hist_after"), prepared.normalized))
        st.markdown(f"**{tr('image.stats_title')}**")
        table(*stats_table(prepared, names), align_right=(2, 3, 4, 5), key="stats")
    with right:
        lo, hi = float(prepared.normalized.min()), float(prepared.normalized.max())
        shown = shared("image.display", digest(prepared.normalized), lambda: display_fixed(prepared.normalized))
        picture(st, shown, tr("image.normalized_caption", lo=lo, hi=hi, limit=DISPLAY_LIMIT))
    one_axis(prepared.augmented)


def one_axis(augmented) -> None:
    """Min-max against z-score on one axis, each with its mean and ±1 std, and what to see in it."""
    names = {m: tr(f"image.methods.{m}") for m in compare.METHODS}
    names |= {k: tr(f"polish.norm.{k}") for k in ("mean", "std", "x", "y")}
    font = theme.chart_font()
    st.markdown(f"**{tr('polish.norm.title')}**")
    fig = shared("image.compare", (digest(augmented), tuple(sorted(names.items())), font),
                 lambda: SerializedFigure(theme.fonts(compare.compare_figure(augmented, names, font))))
    st.plotly_chart(fig, width="stretch", key="norm_compare", alt=tr("polish.norm.alt"))
    minmax, z = compare.spreads(augmented)
    st.caption(tr("polish.norm.note", mean=compare.number(minmax.mean), std=compare.number(minmax.std),
                  zmean=compare.number(z.mean), zstd=compare.number(z.std)))


def histogram(data, title: str, names: list[str]):
    """The histogram figure of one stage in this session's language and font size, built once per server."""
    font = theme.chart_font()
    key = (digest(data), title, tuple(names), font)
    return shared("image.histogram", key,
                  lambda: SerializedFigure(theme.fonts(histogram_figure(data, title, names, font))))


def prepared_view(spec, working):
    """The augmented and normalized picture with its statistics, computed once per server per (picture, spec)."""
    return shared("image.prepared", (digest(working), spec.augment, spec.norm), lambda: prepare(spec, working),
                  need=prepare_bytes(working))


STATS = ("mean", "std", "min", "max")


def stat_text(value: float) -> str:
    """A statistic to 4 significant digits; float32 round-off around zero (a mean of 3.98e-09) reads 0."""
    return f"{round(float(value), 6) + 0.0:.4g}"  # + 0.0 turns -0.0 into 0


def stats_table(prepared, names) -> tuple[list[str], list[list]]:
    """(header, rows) of the stats table: one row per channel and stage, numbers to 4 significant digits."""
    header = [tr("image.channel"), tr("image.when")] + [tr(f"image.{k}") for k in STATS]
    rows = [[name, tr(f"image.{stage}")] + [stat_text(getattr(stats, k)[c]) for k in STATS]
            for stage, stats in (("before", prepared.before), ("after", prepared.after)) for c, name in enumerate(names)]
    return header, rows


def main():
    """Three rows (source, augmentation, normalization): controls on the left, what they do on the right."""
    st.title(tr("image.title"))
    st.caption(tr("image.intro"))
    exercises.panel("image")
    controls, view = st.columns([1, 2], gap="large")
    with controls:
        source_section()
    working, notes = images.working_image(get_spec().image)
    with view:
        for note in notes:
            st.info(messages.text(note))
        if working is None:
            st.info(tr("image.empty_slot"))
            return
        h, w, c = working.shape
        picture(st, working, tr("image.working_caption", w=w, h=h, c=c))
    try:
        augment_and_normalize(working, c)
    except SpecError as exc:  # past the server's memory ceiling: the message; the settings stay as they are
        st.error(messages.error_text(exc))


def augment_and_normalize(working, c: int) -> None:
    """The augmentation and normalization rows of the page."""
    st.divider()
    controls, view = st.columns([1, 2], gap="large")
    with controls:
        augment_controls()
    spec = get_spec()
    with view:
        if spec.augment.mode == "random":
            random_grid(working)
        else:
            left, right = st.columns(2)
            picture(left, working, tr("image.original"))
            picture(right, prepared_view(spec, working).augmented, tr("image.augmented"))
    st.divider()
    st.subheader(tr("image.step_norm"))
    st.caption(tr("image.norm_help"))
    explain.why("normalize")
    bind.choice("norm.method", "image.method", "image.methods", horizontal=True)
    spec = get_spec()
    prepared = prepared_view(spec, working)
    norm_section(prepared, ("R", "G", "B") if c == 3 else ("grey",))
    st.success(tr("image.handed_on", shape=prepared.shape))
    with st.expander(tr("image.show_code")):
        st.caption(tr("image.code_caption"))
        params = aug.fixed_params(spec.augment) if spec.augment.mode == "fixed" else aug.random_params(spec.augment)[0]
        st.code(pipeline_code(spec, params.flip, params.angle), language="python")
