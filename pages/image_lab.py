"""Image lab: choose an image, flip / rotate it, normalize it, see the numbers handed to the first layer."""
import streamlit as st

from playground.image import augment as aug
from playground.image.codegen import pipeline_code
from playground.image.normalize import display_image
from playground.image.pipeline import prepare
from playground.ui import bind as widgets
from playground.ui import boot, explain
from playground.ui import images as image_source
from playground.ui.image_lab.figures import histogram_figure
from playground.ui.state import get_spec, tr, trm


def source_section():
    """Source radio, sample / upload / camera input, working size and colour choice."""
    st.subheader(tr("image.step_source"))
    source = widgets.choice("image.source", "image.source", "image.sources", horizontal=True)
    if source == "sample":
        widgets.choice("image.sample", "image.sample", "samples")
    else:
        draw = st.file_uploader if source == "upload" else st.camera_input
        kwargs = {"type": None} if source == "upload" else {}
        error = image_source.receive(source, draw(tr(f"image.{source}"), key=f"input.{source}", **kwargs))
        if error is not None:
            st.error(f"{trm(error)} {tr('image.upload_failed') if image_source.stored_name(source) else ''}")
        if image_source.stored_name(source):
            st.caption(tr("image.kept_file"))
            st.text(image_source.stored_name(source))
    widgets.slider("image.long_side", "image.long_side", "image.long_side_help")
    widgets.toggle("image.grayscale", "image.grayscale", "image.grayscale_help")


def augment_controls():
    """Fixed flip / rotate, or the probabilities and range of seeded random draws."""
    st.subheader(tr("image.step_augment"))
    st.caption(tr("image.augment_help"))
    mode = widgets.choice("augment.mode", "image.mode", "image.modes", horizontal=True)
    if mode == "fixed":
        widgets.choice("augment.flip", "image.flip", "image.flips")
        widgets.slider("augment.angle", "image.angle")
    else:
        widgets.slider("augment.p_hflip", "image.p_hflip")
        widgets.slider("augment.p_vflip", "image.p_vflip")
        widgets.slider("augment.max_angle", "image.max_angle")
        widgets.slider("augment.seed", "image.seed")
        widgets.slider("augment.count", "image.count")
    widgets.choice("augment.border", "image.border", "image.borders")
    widgets.toggle("augment.expand", "image.expand")


def random_grid(working):
    """N random augmentations of the working image, four to a row, each captioned with its draw."""
    spec = get_spec().augment
    st.caption(tr("image.random_note"))
    draws = aug.random_params(spec)
    cols = st.columns(4)
    for i, p in enumerate(draws):
        caption = tr("image.tile", i=i + 1, flip=tr(f"image.flips.{p.flip}"), angle=p.angle)
        widgets.picture(cols[i % 4], aug.apply(working, p, spec.border, spec.expand), caption)


def norm_section(prepared, channels):
    """Before/after histograms and per-channel stats (left); the normalized image (right)."""
    for note in prepared.notes:
        st.info(trm(note))
    names = [tr(f"image.channels.{c}") for c in channels]
    left, right = st.columns([3, 2])
    with left:
        titles = (tr("image.hist_before"), tr("image.hist_after"))
        st.plotly_chart(histogram_figure(prepared.augmented, prepared.normalized, titles, names), width="stretch", key="hist")
        st.markdown(f"**{tr('image.stats_title')}**")
        st.dataframe(stats_rows(prepared, names), hide_index=True, width="stretch")
    with right:
        lo, hi = float(prepared.normalized.min()), float(prepared.normalized.max())
        widgets.picture(st, display_image(prepared.normalized), tr("image.normalized_caption", lo=lo, hi=hi))


def stats_rows(prepared, names):
    """Rows for the stats table: one per channel and stage."""
    rows = []
    for stage, stats in (("before", prepared.before), ("after", prepared.after)):
        for c, name in enumerate(names):
            rows.append({tr("image.channel"): name, tr("image.when"): tr(f"image.{stage}"),
                         **{tr(f"image.{k}"): round(getattr(stats, k)[c], 4) for k in ("mean", "std", "min", "max")}})
    return rows


def main():
    """Three rows (source, augmentation, normalization): controls on the left, what they do on the right."""
    st.title(tr("image.title"))
    st.caption(tr("image.intro"))
    controls, view = st.columns([1, 2], gap="large")
    with controls:
        source_section()
    working, notes = image_source.working_image(get_spec().image)
    with view:
        for note in notes:
            st.info(trm(note))
        if working is None:
            st.info(tr("image.empty_slot"))
            return
        h, w, c = working.shape
        widgets.picture(st, working, tr("image.working_caption", w=w, h=h, c=c))
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
            widgets.picture(left, working, tr("image.original"))
            widgets.picture(right, aug.augment(working, spec.augment), tr("image.augmented"))
    st.divider()
    st.subheader(tr("image.step_norm"))
    st.caption(tr("image.norm_help"))
    explain.why("normalize")
    widgets.choice("norm.method", "image.method", "image.methods", horizontal=True)
    spec = get_spec()
    prepared = prepare(spec, working)
    norm_section(prepared, ("R", "G", "B") if c == 3 else ("grey",))
    st.success(tr("image.handed_on", shape=tuple(prepared.tensor.shape)))
    with st.expander(tr("image.show_code")):
        st.caption(tr("image.code_caption"))
        params = aug.fixed_params(spec.augment) if spec.augment.mode == "fixed" else aug.random_params(spec.augment)[0]
        st.code(pipeline_code(spec, params.flip, params.angle), language="python")


boot.require_app()
main()
