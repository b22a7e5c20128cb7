"""The one state module: the spec, the language and the widget keys all live here."""
from __future__ import annotations

import streamlit as st

from playground.classroom.lock import Classroom, student_query
from playground.errors import SpecError
from playground.i18n import LANGUAGES, language_from_locale, t, tm
from playground.spec import PipelineSpec

SPEC = "spec"
LANG = "ui.lang"
WIDGET_PREFIX = "w."
QUERY_ERROR = "query_error"
ROOM = "ui.classroom"


def widget_key(path: str) -> str:
    """The session-state key of the widget bound to a spec path."""
    return f"{WIDGET_PREFIX}{path}"


def lang() -> str:
    """The session's language; first visit follows the browser locale."""
    if st.session_state.get(LANG) not in LANGUAGES:
        st.session_state[LANG] = language_from_locale(st.context.locale)
    return st.session_state[LANG]


def tr(key: str, **params) -> str:
    """Catalogue text in the session's language."""
    return t(key, lang(), **params)


def trm(message) -> str:
    """Translate a core Message in the session's language."""
    return tm(message, lang())


def get_spec() -> PipelineSpec:
    """The current spec; on a session's first run it is read from the URL query (a share link)."""
    if ROOM not in st.session_state:  # the link's lock / hide / lesson / projector keys, read once with the spec
        st.session_state[ROOM] = Classroom.from_query(st.query_params.to_dict())
    if SPEC not in st.session_state:
        try:
            spec = PipelineSpec.from_query(st.query_params.to_dict())
        except SpecError as exc:
            st.session_state[QUERY_ERROR] = exc.message
            spec = PipelineSpec()
        st.session_state[SPEC] = spec
    return st.session_state[SPEC]


def link_error_text() -> str | None:
    """The message for a share link that could not be read, once; None otherwise."""
    message = st.session_state.pop(QUERY_ERROR, None)
    return None if message is None else tr("app.bad_link", reason=trm(message))


def set_spec(spec: PipelineSpec, reset_widgets: bool = False) -> None:
    """Store a new spec; reset_widgets makes every bound widget re-read its value from it."""
    st.session_state[SPEC] = spec
    if reset_widgets:
        for key in [k for k in st.session_state if str(k).startswith(WIDGET_PREFIX)]:
            del st.session_state[key]


def room() -> Classroom:
    """The session's classroom settings (teacher lock, lesson, projector), read from the link on the first run."""
    get_spec()
    return st.session_state[ROOM]


def set_room(value: Classroom) -> None:
    """Store new classroom settings; sync_query puts them into the URL."""
    st.session_state[ROOM] = value


def sync_query() -> None:
    """Mirror the spec and the classroom keys into the URL so the address bar is always a share link."""
    wanted = student_query(get_spec(), room())
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
