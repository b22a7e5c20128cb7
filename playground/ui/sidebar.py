"""The sidebar every page shares: language switch and a compact pipeline summary."""
from __future__ import annotations

import streamlit as st

from playground.ui.state import LANG, get_spec, tr

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


def summary_lines() -> list[str]:
    """One short line per pipeline stage, in the session's language."""
    spec = get_spec()
    img = spec.image
    src = tr(f"samples.{img.sample}") if img.source == "sample" else tr(f"image.sources.{img.source}")
    aug = spec.augment
    if aug.mode == "fixed":
        aug_text = f"{tr(f'image.flips.{aug.flip}')}, {aug.angle}°"
    else:
        aug_text = f"{tr('image.modes.random')} ±{aug.max_angle}°"
    return [
        f"{tr('app.sum_image')}: {src} · {img.long_side}px · {tr('image.channels.grey') if img.grayscale else 'RGB'}",
        f"{tr('app.sum_augment')}: {aug_text}",
        f"{tr('app.sum_norm')}: {tr(f'image.methods.{spec.norm.method}')}",
    ]


def draw_sidebar(languages):
    """Language selector (keeps every setting); returns the slot the summary is drawn into after the page runs."""
    with st.sidebar:
        st.selectbox(tr("app.language"), languages, key=LANG, format_func=LANGUAGE_NAMES.get)
        return st.container()


def draw_summary(slot) -> None:
    """The pipeline summary, drawn after the page so it shows this run's settings."""
    with slot:
        st.markdown(f"**{tr('app.pipeline')}**")
        for line in summary_lines():
            st.text(line)
