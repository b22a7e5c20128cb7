"""The sidebar every page shares: language, projector mode, lessons, share link, files, pipeline summary."""
from __future__ import annotations

import streamlit as st

from playground.i18n import LANGUAGES
from playground.ui import bind, explain, theme
from playground.ui.runtime import chrome
from playground.ui.sidebar import classroom, phone, share
from playground.ui.state import LANG, get_spec, read, tr

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
        f"{tr('app.sum_image')}: {src} · {tr('classroom.px', n=img.long_side)} · "
        f"{tr('image.channels.grey') if img.grayscale else 'RGB'}",
        f"{tr('app.sum_augment')}: {aug_text}",
        f"{tr('app.sum_norm')}: {tr(f'image.methods.{spec.norm.method}')}",
    ]


def projector_switch() -> None:
    """Projector mode toggle, seeded from the link (room.projector)."""
    bind.toggle("room.projector", "classroom.projector", "classroom.projector_help")
    theme.apply(read("room.projector"))


def draw_sidebar():
    """Language, projector, lessons and classroom tools; returns the slot the summary is drawn into later."""
    with st.sidebar:
        # The language selectbox writes the session's language directly: it is drawn on every run of every page.
        st.selectbox(tr("app.language"), LANGUAGES, key=LANG, format_func=LANGUAGE_NAMES.get)
        projector_switch()
        phone.close_after_navigation()
        chrome.apply()
        classroom.locked_note()
        share.class_note()
        classroom.lesson_picker()
        slot = st.container()
        classroom.teacher_panel()
        classroom.file_panel()
        explain.glossary()
        return slot


def draw_summary(slot) -> None:
    """The pipeline summary, drawn after the page so it shows this run's settings."""
    with slot:
        st.markdown(f"**{tr('app.pipeline')}**")
        for line in summary_lines():
            st.text(line)
