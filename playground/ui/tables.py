"""Small tables as one markdown element: the text wraps instead of being cut off ("Parame…"), grows with the
projector's font, and costs no dataframe serialization on every rerun. A table with a key gets a phone form: on a
screen at most 640 px wide each row is a block of "column: value" pairs that wrap, so nothing scrolls sideways."""
from __future__ import annotations

import streamlit as st

from playground.ui.messages import plain


def markdown_table(header: list[str], rows: list[list], align_right: tuple[int, ...] = ()) -> str:
    """A GitHub-style markdown table; every cell escaped, so a cell's text is shown as it is."""
    rule = ["---:" if i in align_right else "---" for i in range(len(header))]
    lines = [[plain(h) for h in header], rule] + [[plain(c) for c in row] for row in rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def _css_text(text: str) -> str:
    """Text as the inside of a CSS string: quotes, backslashes and line breaks escaped, no closing tag."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def phone_css(key: str, header: list[str]) -> str:
    """The phone form of the table in container `ptable-<key>`: each row a wrapping block, each cell after its column's
    name."""
    sel = f".st-key-ptable-{key}"
    names = "".join(f'{sel} td:nth-child({i})::before {{ content: "{_css_text(h)}: "; font-weight: 600; }}\n'
                    for i, h in enumerate(header, 1))
    return (f"<style>@media (max-width: 640px) {{\n"
            f"{sel} table, {sel} tbody, {sel} tr, {sel} td {{ display: block; width: auto; }}\n"
            f"{sel} thead {{ display: none; }}\n"
            f"{sel} tr {{ display: flex; flex-wrap: wrap; column-gap: 1rem; padding: 0.35rem 0;\n"
            f"  border-bottom: 1px solid rgba(128, 128, 128, 0.4); }}\n"
            f"{sel} td {{ border: none !important; padding: 0.05rem 0 !important; text-align: left !important; }}\n"
            f"{names}}}</style>")


def table(header: list[str], rows: list[list], align_right: tuple[int, ...] = (), key: str | None = None) -> None:
    """Draw a small table (numbers right-aligned in the columns named by align_right); key: give it a phone form."""
    if key is None:
        st.markdown(markdown_table(header, rows, align_right))
        return
    with st.container(key=f"ptable-{key}"):
        st.html(phone_css(key, header))
        st.markdown(markdown_table(header, rows, align_right))
