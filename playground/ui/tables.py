"""Small tables as one markdown element: the text wraps instead of being cut off ("Parame…"), grows with the
projector's font, and costs no dataframe serialization on every rerun."""
from __future__ import annotations

import streamlit as st

from playground.ui.messages import plain


def markdown_table(header: list[str], rows: list[list], align_right: tuple[int, ...] = ()) -> str:
    """A GitHub-style markdown table; every cell escaped, so a cell's text is shown as it is."""
    rule = ["---:" if i in align_right else "---" for i in range(len(header))]
    lines = [[plain(h) for h in header], rule] + [[plain(c) for c in row] for row in rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def table(header: list[str], rows: list[list], align_right: tuple[int, ...] = ()) -> None:
    """Draw a small table (numbers right-aligned in the columns named by align_right)."""
    st.markdown(markdown_table(header, rows, align_right))
