"""The tab's "Your pictures" set and what changes it: uploads, camera shots, a zip, names, deletes.

The set lives in a session-scoped st.cache_resource: one Desk per browser tab, dropped (and its experiment
stopped, a zip or upload still being decoded stopped between two files) when the tab closes, so the pictures
are gone unless exported. Every change happens in a widget
callback, which Streamlit runs once per change before the script: a rerun never adds a picture twice.

Uploads and camera shots: each handled file's id is remembered, its bytes are removed from Streamlit's
upload store at once (only the 64×64 copy is kept), and the widget gets a new key (a generation counter),
so the uploader is empty again and the camera is live again for the next shot.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from playground.errors import ImageError, Message
from playground.image.decode import decode_image, to_working
from playground.training.ownset import OwnSet, OwnSetError, Problem
from playground.training.zipset import read_zip
from playground.ui.runtime import internals
from playground.ui.runtime.internals import get_logger
from playground.ui.state import tab_store, widget_key

LOG = get_logger(__name__)
SHOT_SIDE = 256  # a camera shot for predictions is kept at this working size


@dataclass
class Desk:
    """One tab's picture set and the state of its inputs."""

    own: OwnSet = field(default_factory=OwnSet)
    chosen: int = 0  # the class being filled
    problems: list[Problem] = field(default_factory=list)  # files the last action refused
    notice: Message | None = None  # what the last action did
    name_error: dict[int, Message] = field(default_factory=dict)  # class index -> why its new name was refused
    generation: dict[str, int] = field(default_factory=dict)  # input -> counter in its widget key
    seen: set[str] = field(default_factory=set)  # upload / shot file ids already handled
    shots: int = 0  # camera shots taken, for their names
    shot: np.ndarray | None = None  # the last camera shot to predict on, (H, W, 3) uint8
    experiment: object = None  # the AugmentExperiment of this tab, if any (its .fingerprint: the set it trained)
    experiment_error: Message | None = None  # why the last experiment could not start
    page: int = 0  # thumbnail page of the chosen class
    lock: threading.Lock = field(default_factory=threading.Lock)
    gone: threading.Event = field(default_factory=threading.Event)  # set when the tab closes: decoding stops


    def key(self, name: str) -> str:
        """The widget key of an input: a new generation is a new, empty widget."""
        return widget_key(f"own.{name}.{self.generation.get(name, 0)}")

    def renew(self, name: str) -> None:
        """Give an input a new key (empty on the next draw)."""
        self.generation[name] = self.generation.get(name, 0) + 1

    def release(self) -> None:
        """The tab is gone: stop a zip or upload still being decoded (between files) and the experiment's workers."""
        self.gone.set()
        if self.experiment is not None:
            self.experiment.stop()
        LOG.info("own picture set released with the session (%d pictures)", self.own.total)


@tab_store(Desk.release)
def desk() -> Desk:
    """This tab's Desk."""
    return Desk()


def _forget_upload(file) -> None:
    """Drop an uploaded file's bytes from Streamlit's upload store (they are decoded and copied already)."""
    internals.forget_upload(file)


def _fresh(d: Desk, files) -> list:
    """The files not handled before, now marked as handled."""
    new = [f for f in files if f is not None and f.file_id not in d.seen]
    d.seen.update(f.file_id for f in new)
    return new


def _chosen(d: Desk) -> int:
    """The class being filled, kept inside the set."""
    d.chosen = min(max(0, d.chosen), len(d.own.names) - 1)
    return d.chosen


def on_upload() -> None:
    """Callback of the multi-file uploader: add the new files to the chosen class."""
    d = desk()
    files = _fresh(d, st.session_state.get(d.key("upload")) or [])
    with d.lock:
        k = _chosen(d)
        before = d.own.counts[k]
        try:
            d.problems = d.own.add_files(k, [(f.name, f.getvalue()) for f in files], d.gone)
        except OwnSetError as exc:  # the tab closed in the middle: what was added stays, nobody reads it
            d.problems = [exc.problem]
        n = d.own.counts[k] - before
        d.notice = None if n == 0 else Message("own.added_one" if n == 1 else "own.added", {"n": n, "cls": d.own.names[k]})
    for f in files:
        _forget_upload(f)
    d.renew("upload")


def on_shot() -> None:
    """Callback of the filling camera: one shot, added once to the chosen class; the camera goes live again."""
    d = desk()
    shot = st.session_state.get(d.key("camera"))
    new = _fresh(d, [shot])
    with d.lock:
        d.problems, d.notice = [], None
        for f in new:
            d.shots += 1
            k = _chosen(d)
            try:
                d.own.add_picture(k, f.getvalue(), f"📷 {d.shots}")  # a name in no language
                d.notice = Message("own.added_one", {"cls": d.own.names[k]})
            except OwnSetError as exc:
                d.problems = [exc.problem]
            _forget_upload(f)
    d.renew("camera")


def on_zip() -> None:
    """Callback of the zip uploader: a readable zip replaces the whole set."""
    d = desk()
    files = _fresh(d, [st.session_state.get(d.key("zip"))])
    with d.lock:
        for f in files:
            try:
                d.own, d.problems = read_zip(f.getvalue(), d.gone)
                d.chosen, d.page, d.name_error = 0, 0, {}
                d.notice = Message("own.added_zip", {"classes": len(d.own.names), "total": d.own.total})
            except OwnSetError as exc:
                d.problems, d.notice = [exc.problem], None
            _forget_upload(f)
    d.renew("zip")


def on_rename(index: int) -> None:
    """Callback of a class's name field."""
    d = desk()
    with d.lock:
        try:
            d.own.rename_class(index, st.session_state.get(widget_key(f"own.name.{index}"), ""))
            d.name_error.pop(index, None)
        except OwnSetError as exc:
            d.name_error[index] = exc.message


def _act(change) -> None:
    """Run one change of the set; a refusal becomes the notice-free problem list."""
    d = desk()
    with d.lock:
        d.problems, d.notice = [], None
        try:
            change(d)
        except OwnSetError as exc:
            d.problems = [exc.problem]


def add_class() -> None:
    """Button: one more class (a free letter for a name), chosen for filling."""
    _act(lambda d: setattr(d, "chosen", d.own.add_class()))


def remove_class(index: int) -> None:
    """Button: drop a class and its pictures."""
    def change(d: Desk) -> None:
        d.own.remove_class(index)
        d.name_error = {}
        d.chosen = min(d.chosen, len(d.own.names) - 1)
    _act(change)


def clear_set() -> None:
    """Button: start again with two empty classes."""
    def change(d: Desk) -> None:
        d.own, d.chosen, d.page, d.name_error = OwnSet(), 0, 0, {}
    _act(change)


def delete_picture(picture_id: int) -> None:
    """Button under a thumbnail."""
    _act(lambda d: d.own.delete_picture(picture_id))


def choose(key: str) -> None:
    """Callback of the class picker."""
    d = desk()
    d.chosen, d.page = int(st.session_state.get(key, 0)), 0


def on_predict_shot() -> None:
    """Callback of the "Your image" camera: keep the shot (working size) to predict on."""
    d = desk()
    shot = st.session_state.get(widget_key("own.predict_shot"))
    if shot is None:
        return
    try:
        working, _ = to_working(decode_image(shot.getvalue()).pixels, SHOT_SIDE, False)
        d.shot = working
    except ImageError as exc:
        d.problems = [Problem("📷", exc.message)]
