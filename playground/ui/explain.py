"""Short explanations of the core ideas, drawn beside the controls as a "Why?" popover or as a glossary."""
from __future__ import annotations

import streamlit as st

from playground.ui.state import tr

TOPICS = ("kernel", "stride", "padding", "pooling", "activation", "normalize", "cross_entropy", "learning_rate")


def note(topic: str) -> None:
    """One topic: bold title, then its note."""
    st.markdown(f"**{tr(f'explain.titles.{topic}')}**")
    st.write(tr(f"explain.{topic}"))


def why(*topics: str) -> None:
    """A small "Why?" button that opens the notes of the given topics."""
    with st.popover(tr("classroom.why"), icon=":material/help:", key=f"why.{'.'.join(topics)}"):
        for topic in topics:
            note(topic)


def glossary() -> None:
    """Every topic in one folded list (the sidebar's "ideas in one sentence")."""
    with st.expander(tr("classroom.glossary"), icon=":material/school:"):
        for topic in TOPICS:
            note(topic)
