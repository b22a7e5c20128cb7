"""The share panel's link tools and the sidebar's class note: what a link does, a short link, its QR code."""
from __future__ import annotations

import streamlit as st

from playground import boardlink
from playground.board import BoardError
from playground.board.codes import group
from playground.classroom.lessons import lesson_of
from playground.classroom.lock import SHORT, Classroom, implied, lockable, student_query
from playground.classroom.qr import qr_png
from playground.spec import PipelineSpec
from playground.ui import bind, messages
from playground.ui.state import BOARD_LINK_NOTE, SHARE_SHORT, button_key, get_spec, room, tr

# Spec fields whose values are option ids: shown by their translated names (catalogue prefix).
OPTION_NAMES = {"image.source": "image.sources", "image.sample": "samples", "augment.mode": "image.modes",
                "augment.flip": "image.flips", "augment.border": "image.borders", "norm.method": "image.methods",
                "train.dataset": "train.datasets", "train.optimizer": "train.optimizers"}
QR_PX = 200
# The lock picker's chips wrap instead of cutting a long name ("Augmentation › chance of a…"). Static CSS.
CHIPS_CSS = """<style>
[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] [data-tag] { max-width: 100%; height: auto; }
[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] [data-tag] > span {
  white-space: normal; overflow: visible; text-overflow: clip; }
</style>"""


def value_text(spec: PipelineSpec, path: str) -> str:
    """A field's value as a student reads it: option names translated, yes / no, the number of layers."""
    value = spec.get(path)
    if path == "net.layers":
        return tr("share.layers", n=len(value))
    if isinstance(value, bool):
        return tr("share.yes") if value else tr("share.no")
    if path in OPTION_NAMES:
        return tr(f"{OPTION_NAMES[path]}.{value}")
    return f"{value:g}" if isinstance(value, float) else str(value)


def preview_lines(spec: PipelineSpec, student: Classroom) -> list[str]:
    """What the link sets and locks, one markdown line each (every value escaped)."""
    from playground.ui.sidebar.classroom import lock_label  # the lock names live with the lock picker

    lines = [tr("share.sets", what=lock_label(p), value=messages.plain(value_text(spec, p)))
             for p in spec.to_query()]
    for mode, names in (("locks", student.locked), ("hides", student.hidden)):
        if names:
            ordered = sorted(names, key=lockable().index)
            lines.append(tr(f"share.{mode}", what=", ".join(lock_label(n) for n in ordered)))
    if also := implied(student.locked | student.hidden):
        lines.append(tr("share.also_locks", what=", ".join(lock_label(n) for n in sorted(also, key=lockable().index))))
    if (lesson := lesson_of(student.lesson)) is not None:
        lines.append(tr("share.lesson", title=tr(f"lessons.{lesson.id}.title")))
    if student.projector:
        lines.append(tr("share.projector"))
    if student.board:
        lines.append(tr("share.joins", code=group(student.board)))
    return lines or [tr("share.nothing")]


def _make_short(query: tuple) -> None:
    """Button callback: store the spec, remember the short code for this exact link."""
    try:
        code = boardlink.call("store_spec", get_spec().to_json())
    except BoardError as err:
        st.session_state[SHARE_SHORT] = (query, None, err.message)
        return
    st.session_state[SHARE_SHORT] = (query, code, None)


def link_tools(student: Classroom, link_of) -> None:
    """The student link (copy button), its preview, a short link on request and a QR code of the shorter one."""
    st.html(CHIPS_CSS)
    query = student_query(get_spec(), student)
    link = link_of(query)
    st.code(link, language=None, wrap_lines=True)
    st.markdown(f"**{tr('share.preview')}**")
    st.markdown("\n".join(f"- {line}" for line in preview_lines(get_spec(), student)))
    key = tuple(sorted(query.items()))
    st.button(tr("share.make_short"), key=button_key("ui.short"), on_click=_make_short, args=(key,),
              icon=":material/link:", width="stretch", help=tr("share.short_help"))
    made = st.session_state.get(SHARE_SHORT)
    short = made is not None and made[0] == key
    if short and made[1] is None:
        st.error(messages.text(made[2]))
    elif short:
        link = link_of({SHORT: made[1], **student.to_query()})
        st.caption(tr("share.short_link"))
        st.code(link, language=None, wrap_lines=True)
    # The QR code comes with a short link, or on request (an image on every run of every page costs).
    if bind.control("view.ui.share_qr", st.toggle, label=tr("share.show_qr")) or (short and made[1]):
        qr_picture(link)


def qr_picture(link: str) -> None:
    """The link's QR code, or why there is none."""
    picture = _qr(link)
    if picture is None:
        st.caption(tr("share.qr_too_long"))
    else:
        st.image(picture, caption=tr("share.qr_caption"), width=QR_PX, alt=tr("a11y.qr", caption=tr("share.qr_caption")))


@st.cache_data(max_entries=256, show_spinner=False)
def _qr(text: str) -> bytes | None:
    """The QR code of a link, made once per distinct link (pure bytes: shared safely between sessions)."""
    return qr_png(text, scale=3)


def class_note() -> None:
    """Which class this tab joined (the code as text), and why a link's class code or key was dropped.

    That note stays (a page may rerun right after loading) until the tab joins or creates a board.
    """
    if (why := st.session_state.get(BOARD_LINK_NOTE)) is not None:
        st.warning(messages.text(why))
    code = room().board
    if code:
        st.markdown(tr("share.in_class", code=messages.plain(group(code))))
        if room().teacher:
            st.caption(tr("share.you_teach"))
