"""The one state module: every session key, the spec, the view settings, the language, the classroom.

Values of record live in three stores, addressed by a path:
- the spec (PipelineSpec): "augment.angle", "net.layers.2.kernel" — what a share link and a lesson carry;
- the view: "view.layers.cmap", "view.steps.bias" — this tab's own choices (colour map, step-through grid);
- the room: "room.projector" — the classroom settings read from the link.
Widgets never hold a value of record: playground/ui/bind.py seeds each widget from its path and writes
the path back in the widget's on_change callback, so a control that was hidden and comes back shows the
stored value, and the page body reads final values once.
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

from playground import boardlink
from playground.classroom.lock import Classroom, student_query
from playground.errors import Message, SpecError
from playground.i18n import LANGUAGES, language_from_locale, t
from playground.layers.stacks import with_field
from playground.spec import PipelineSpec
from playground.ui.runtime import internals
from playground.view_table import VIEW_DEFAULTS, check_view

KEYS: dict[str, str] = {}  # every session-state key of the app -> what it holds


def _key(name: str, doc: str) -> str:
    KEYS[name] = doc
    return name


SPEC = _key("spec", "the PipelineSpec: value of record of every spec-bound control")
VIEW = _key("view", "dict of view settings (view_table.VIEW_DEFAULTS names): values of record of view controls")
ROOM = _key("ui.room", "the Classroom of the link: locks, hidden controls, lesson, projector, class and teacher key")
LANG = _key("ui.lang", "the session's language (the sidebar's language selectbox writes it)")
QUERY_ERROR = _key("ui.query_error", "Message of a share link that could not be read, shown once")
CONTROL_ERRORS = _key("ui.control_errors", "path -> Message of a refused control value, shown once by the control")
IMAGES = _key("img.slots", "upload / camera slot -> the last good file {data, name, digest}")
IMAGES_TRIED = _key("img.tried", "upload / camera slot -> Message saying why the last file chosen was refused")
UPLOAD_ROUND = _key("img.upload_round", "counts handled uploads: the upload box's key changes, so it empties")
LAST_VALID = _key("last_valid", "slot -> the last result drawn without an error (shown, marked, beside an error)")
LOCK_REFUSED = _key("ui.lock_refused", "how many spec changes a teacher lock refused (forged or leaking controls)")
MEMO = _key("memo", "slot -> {key: value}: derived values kept per key; their owner prunes them")
CACHE = _key("cache", "slot -> (key, value): one derived result per slot, recomputed when its key changes")
IMPORTED = _key("ui.imported", "(file id, error text or None) of the last settings file handled")
TRAIN_START_ERROR = _key("train.start_error", "SpecError raised by the Start button's callback, shown once")
TRAIN_LIVE = _key("train.live", "True while the last full run of the Training lab saw a run in progress")
STEPS_TICKED = _key("steps.ticked", "monotonic time of the step-through's last playback tick")
TWIN_SEEDS = _key("ui.twin_seeds", "widget key -> the values it held or was sent by bind, the last one the latest seed, of "
                  "a layer path that two widgets show (stage and editor), until the browser has the latest")
TWIN_BATCH = _key("ui.twin_batch", "widget keys of the bound controls that changed with this run's request, None once "
                  "bind.twins_settled has run")
LAYERS_SEEDED = _key("layers.seeded", "True once the Layer lab gave an empty stack the default stack")
BOARD_LINK_NOTE = _key("board.link_note", "Message: why the link's class code or key was dropped (shown until a board is joined)")
BOARD_NOTE = _key("board.note", "(kind, Message) of the class board's last action (success / error), shown once")
BOARD_PUBLISHED = _key("board.published", "id(trainer) -> (weakref to it, nickname): runs already published")
BOARD_PUBLISH_ERROR = _key("board.publish_error", "Message of the last publish that failed, shown once")
BOARD_AUTHOR = _key("board.author", "random token of this tab, sent with its publishes (the board's per-student rate)")
BOARD_RELOAD = _key("board.reload", "True when a board action changed the spec: the live view asks for a full run")
SHARE_SHORT = _key("ui.share_short", "(query, short link code) of the share panel's last short link")
OWN_LAST_DATASET = _key("own.last_dataset", "the Training lab's data set on the previous run (choosing Your pictures "
                        "applies the small-set defaults once)")
OWN_DEFAULTS = _key("own.defaults", "'new' on the run that applied the small-set defaults, then 'done'; unset before")
# The tab's picture set itself is no session-state key: playground/ui/training/ownset_store.py keeps it in a
# session-scoped st.cache_resource (dropped with the tab); its widgets use widget_key("own.…").
# "Check yourself" (playground/ui/exercises/)
EX_RECORD = _key("ex.record", "playground.exercises.progress.Record: this tab's results of every exercise")
EX_SEEDS = _key("ex.seeds", "exercise id -> the seed (question number) of its current question")
EX_SHOWN = _key("ex.shown", "lab -> ((id, seed, practice), Question) the panel shows: a check answers this one")
EX_VERDICTS = _key("ex.verdicts", "lab -> (Question, Verdict) of the last check of that lab's panel")
EX_RENEWED = _key("ex.renewed", "lab -> the Question a 'New question' click replaced (to see whether it changed)")
EX_DEFAULTED = _key("ex.defaulted", "lab -> the lesson id the panel's exercise was last defaulted for")
EX_LINKED = _key("ex.linked", "labs whose panel already opened the share link's question (once per tab)")
EX_REFRESH = _key("ex.refresh", "True after a check finished a lesson's exercise: the page reruns so the sidebar counts it")
LESSON = _key("lesson.page", "the lesson page: lesson id, scene index, the scene entered, a loaded file, answers")
# A lesson run as a class (playground/ui/lessonclass/)
LC_FOLLOWED = _key("lc.followed", "(class code, lesson id) -> the teacher's scene this tab last followed")
LC_SEEN = _key("lc.seen", "(class code, scene, monotonic time) of this tab's last presence report")
LC_ANSWERS = _key("lc.answers", "'code:lesson:scene' -> this tab's stored answer (None: none yet)")
LC_NOTE = _key("lc.note", "Message of the student's last class action (answer refused, settings shared), shown once")
LC_REVEAL_NOTE = _key("lc.reveal_note", "Message of the teacher's refused Reveal, shown under it until the next press")

# A training run lives in this server process only. While the tab has one, the address carries this process's id,
# so a tab that reconnects to a restarted server (a new session, a new id) can say the run was lost with it.
SERVER_ID = secrets.token_hex(4)
RUN_QUERY = "run"  # the address's key for it; no spec or classroom field has this name
TRAIN_MARK = _key("train.mark", "True once this tab has started a training run: the address carries SERVER_ID")
TRAIN_LOST = _key("train.lost", "True when the tab's first address named a run of an earlier server process")

WIDGET_PREFIX = "w."
BUTTON_PREFIX = "b."


def widget_key(path: str, prefix: str = "") -> str:
    """The session-state key of the widget bound to a path ("w." + path); a second view of the same path (the
    Layer lab's stage) puts its prefix in front, so two widgets of one path never share a key."""
    return f"{prefix}.{WIDGET_PREFIX}{path}" if prefix else f"{WIDGET_PREFIX}{path}"


def button_key(name: str) -> str:
    """The key of an action button (buttons hold no value of record)."""
    return f"{BUTTON_PREFIX}{name}"


def lang() -> str:
    """The session's language; first visit follows the browser locale."""
    value = st.session_state.get(LANG)  # one read: every label of every run asks (each read takes a lock)
    if value not in LANGUAGES:
        value = st.session_state[LANG] = language_from_locale(st.context.locale)
    return value


def tr(key: str, **params) -> str:
    """Catalogue text in the session's language."""
    return t(key, lang(), **params)


def _read_link() -> None:
    """The first run's link: its classroom keys, a short link's spec (?s=) and the class it joins (?class=)."""
    query = st.query_params.to_dict()
    room = Classroom.from_query(query)
    if query.get(RUN_QUERY, SERVER_ID) != SERVER_ID:  # this tab had a run on a server that has since restarted
        st.session_state[TRAIN_LOST] = True
    if room.short:
        room, spec, why = boardlink.open_short(room)
        if spec is not None:
            st.session_state.setdefault(SPEC, spec)
        elif why is not None:
            st.session_state[QUERY_ERROR] = why
            st.session_state.setdefault(SPEC, PipelineSpec())
    if room.board:
        room, why = boardlink.join(room)
        if why is not None:
            st.session_state[BOARD_LINK_NOTE] = why
    st.session_state[ROOM] = room


def get_spec() -> PipelineSpec:
    """The current spec; on a session's first run it is read from the URL query (a share or short link)."""
    if (spec := st.session_state.get(SPEC)) is not None and ROOM in st.session_state:
        return spec  # every run after the first: two reads (the page asks for the spec a hundred times a run)
    if ROOM not in st.session_state:  # the link's lock / hide / lesson / projector / class keys, read once
        _read_link()
    if SPEC not in st.session_state:
        try:
            spec = PipelineSpec.from_query(st.query_params.to_dict())
        except SpecError as exc:
            st.session_state[QUERY_ERROR] = exc.message
            spec = PipelineSpec()
        st.session_state[SPEC] = spec
    return st.session_state[SPEC]


def set_spec(spec: PipelineSpec, seed: bool = False) -> None:
    """Store a new spec, locked and hidden fields kept as they were; every bound widget shows it on the next draw.

    seed: the app's own first value for a session (the Layer lab's default stack), which a lock does not stop."""
    kept = spec if seed else room().keep_locked(get_spec(), spec)
    if kept != spec:  # a button or a forged value tried to change what the teacher locked
        st.session_state[LOCK_REFUSED] = st.session_state.get(LOCK_REFUSED, 0) + 1
    st.session_state[SPEC] = kept


def link_error() -> Message | None:
    """The reason a share link could not be read, once; None otherwise."""
    return st.session_state.pop(QUERY_ERROR, None)


def room() -> Classroom:
    """The session's classroom settings (teacher lock, lesson, projector), read from the link on the first run."""
    get_spec()
    return st.session_state[ROOM]


def set_room(value: Classroom) -> None:
    """Store new classroom settings; sync_query puts them (all but the teacher key) into the URL."""
    st.session_state[ROOM] = value


def view() -> dict[str, Any]:
    """This tab's view settings (missing names read their defaults)."""
    return st.session_state.setdefault(VIEW, {})


def read(path: str) -> Any:
    """The value of record at a path of any store."""
    if path.startswith("view."):
        name = path[5:]
        return view().get(name, VIEW_DEFAULTS[name])
    if path.startswith("room."):
        return getattr(room(), path[5:])
    parts = path.split(".")
    if len(parts) == 4 and parts[:2] == ["net", "layers"]:
        return getattr(get_spec().net.layers[int(parts[2])], parts[3])
    return get_spec().get(path)


def write(path: str, value: Any) -> None:
    """Validate and store a value at a path; SpecError (with a catalogue key) when the value is not allowed."""
    if path.startswith("view."):
        view()[path[5:]] = check_view(path[5:], value)
    elif path.startswith("room."):
        set_room(replace(room(), **{path[5:]: bool(value)}))
    else:
        set_spec(spec_with(get_spec(), path, value))


def spec_with(spec: PipelineSpec, path: str, value: Any) -> PipelineSpec:
    """A copy of spec with a spec path ("augment.flip", "net.layers.2.kernel") set and validated (SpecError)."""
    parts = path.split(".")
    if len(parts) == 4 and parts[:2] == ["net", "layers"]:
        return spec.set("net.layers", with_field(spec.net.layers, int(parts[2]), parts[3], value))
    return spec.set(path, value)


def refuse(path: str, message: Message) -> None:
    """Remember why a control's new value was refused; the control shows it once."""
    st.session_state.setdefault(CONTROL_ERRORS, {})[path] = message


def refusal(path: str) -> Message | None:
    """The refusal of a control's last value, once."""
    return st.session_state.get(CONTROL_ERRORS, {}).pop(path, None)


def note_once(key: str, value: Any = True) -> None:
    """Leave value for the next run to show once (a callback's message, an error, a "reload" flag)."""
    st.session_state[key] = value


def take_note(key: str, default: Any = None) -> Any:
    """What note_once left, removed, so it shows on this run only; default when nothing was left."""
    return st.session_state.pop(key, default)


def tab_slot(key: str, make: Callable[[], Any]) -> Any:
    """This tab's value under key (a session KEY of this module), made by make() on first use."""
    if key not in st.session_state:
        st.session_state[key] = make()
    return st.session_state[key]


def tab_store(release: Callable[[Any], None]):
    """Decorator: the function's value is made once per browser tab and release(value) runs when the tab closes
    (a session-scoped st.cache_resource; `.clear()` drops it). For what must outlive a rerun but not the tab:
    its trainings, its picture set."""
    return st.cache_resource(scope="session", on_release=release, show_spinner=False)


def cached(slot: str, key, compute):
    """compute() once per distinct key for this session's slot (one entry per slot)."""
    store = st.session_state.setdefault(CACHE, {})
    hit = store.get(slot)
    if hit is not None and hit[0] == key:
        return hit[1]
    value = compute()
    store[slot] = (key, value)
    return value


def memo(slot: str) -> dict:
    """This session's dict of derived values for a slot (several keys at once, e.g. one picture per layer)."""
    return st.session_state.setdefault(MEMO, {}).setdefault(slot, {})


_UNSET = object()


def last_valid(slot: str, result=_UNSET):
    """Remember (with a result) or recall (without) the last valid result of a slot; None when there is none."""
    store = st.session_state.setdefault(LAST_VALID, {})
    if result is not _UNSET:
        store[slot] = result
    return store.get(slot)


def sync_query() -> None:
    """Mirror the spec and the classroom keys into the URL so the address bar is always a share link.

    The teacher key stays in the session (Classroom.to_query leaves it out): a teacher link opened in this tab
    loses it from the address on this run, so copying the address bar never hands out moderation."""
    wanted = student_query(get_spec(), room())
    if st.session_state.get(TRAIN_MARK):
        wanted = {**wanted, RUN_QUERY: SERVER_ID}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def session_party() -> str | None:
    """This tab's session id: what the server's fair turns (playground/fair.py) are counted for; None outside a run."""
    return internals.session_id()
