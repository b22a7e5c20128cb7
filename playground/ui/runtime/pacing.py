"""The server's one Pacer (playground/pace.py): whole script runs of each session, counted and paced.

PLAYGROUND_PACE_HOT_S sets the recent CPU seconds above which a session is hot (0 turns pacing off),
PLAYGROUND_PACE_HALF_LIFE_S how fast that use is forgotten. With 0.5 s and 10 s a hot tab gets about 0.035
of a core for its runs while another student is about (a Layer lab release of a cached 12-layer stack costs
≈ 0.05 s of script CPU: one every 1.4 s); a student who releases a slider every 2–6 s stays at 0.3 s or less
(docs/benchmarks.md, "One student against the class"). One run counts at most PER_RUN_S: a cold start or a
big stack alone does not make a tab hot.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from playground.pace import Pacer
from playground.ui.state import ROOM, session_party

PER_RUN_S = 0.25
ABOUT_S = 10.0  # a student who ran within this many seconds (or runs now) is about
PACER = Pacer(hot=float(os.environ.get("PLAYGROUND_PACE_HOT_S", "0.5")),
              half_life=float(os.environ.get("PLAYGROUND_PACE_HALF_LIFE_S", "10")), per_run=PER_RUN_S, about=ABOUT_S)


def teacher_tab() -> bool:
    """Whether this tab holds a board's teacher key: the class watches what it does, so it is never paced."""
    classroom = st.session_state.get(ROOM)
    return classroom is not None and bool(classroom.teacher)


@contextmanager
def paced() -> Iterator[None]:
    """This session's run (a page or a fragment rerun): wait first if the session is hot (never the teacher's),
    count its CPU."""
    with PACER.run(session_party(), may_wait=not teacher_tab()):
        yield
