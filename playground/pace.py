"""Paced reruns: a session that reruns back to back waits before its next run while lighter sessions are about.

The fair turns of playground/fair.py count the forward passes and pictures, but a tab that releases a slider
the moment its last run has finished costs the server mostly outside them: widgets, tables, messages sent,
all under the one interpreter lock. Three such tabs on a 2-core server slow every other student's page
several times, even when their results come from a cache.

A Pacer counts each party's (session's) CPU seconds of whole runs, an exponentially decaying sum with
half-life `half_life`; one run counts at most `per_run` seconds, so one costly run (a cold start, a big
stack, which the fair turns already count) does not make a party hot: many runs close together do. A party
whose recent use exceeds `hot` seconds is hot. While some party that is not hot is about (running now, or
ran within `about` seconds), a hot party's next run first waits, asleep (no lock, no slot, no CPU), until
its recent use has decayed back to `hot`: a hot party then gets about hot × ln 2 / half_life of a core,
and a student who thinks between actions never waits. Releases that arrive meanwhile are merged by Streamlit into
one rerun with the newest values, which starts as soon as the wait is over.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager

FORGET = 1e-3  # seconds of decayed use below which a party is forgotten
STEP_S = 0.25  # a waiting run re-checks this often (the light party it waits for may have left)
MIN_WAIT_S = 1e-3  # a shorter wait is not worth a sleep


class _Depth(threading.local):
    depth = 0  # paced runs this thread is inside now


class Pacer:
    """Recent run CPU per party; hot parties wait before a run while others are about."""

    def __init__(self, hot: float, half_life: float, most: float = 1.5, per_run: float = math.inf,
                 about: float = 10.0, clock: Callable[[], float] = time.monotonic, meter: Callable[[], float] = time.thread_time,
                 sleep: Callable[[float], None] = time.sleep):
        """hot: recent CPU seconds above which a party waits (0 or less: never); most: recent use is counted up
        to most × hot, so one wait is at most half_life × log2(most) however long the party ran unpaced;
        per_run: the most one run counts; about: seconds after its last run that a party still counts as about.
        clock: what use decays by; meter: what a run costs (the running thread's CPU time); sleep: how to wait.
        """
        self.hot, self.half_life, self.most, self.per_run, self.about = hot, half_life, most, per_run, about
        self._clock, self._meter, self._sleep = clock, meter, sleep
        self._lock = threading.Lock()
        self._used: dict[Hashable, tuple[float, float]] = {}  # party -> (seconds, when they were counted)
        self._running: dict[Hashable, int] = {}  # party -> runs going now
        self._inside = _Depth()  # a run inside a run of the same thread (a fragment in a page) is not paced again
        self.waits = 0  # runs that waited (for tools)

    def _recent(self, who: Hashable, now: float) -> float:
        seconds, at = self._used.get(who, (0.0, now))
        return seconds * 0.5 ** (max(0.0, now - at) / self.half_life)

    def used(self, who: Hashable) -> float:
        """The party's recent CPU seconds of runs (decayed to now)."""
        with self._lock:
            return self._recent(who, self._clock())

    def is_hot(self, who: Hashable) -> bool:
        """True when the party's recent use makes it hot."""
        with self._lock:
            return self._hot(who, self._clock())

    def _hot(self, who: Hashable, now: float) -> bool:
        return 0 < self.hot < self._recent(who, now)

    def delay(self, who: Hashable) -> float:
        """Seconds the party's next run should wait now (0: go)."""
        with self._lock:
            now = self._clock()
            use = self._recent(who, now)
            if not self._hot(who, now) or not self._light_about(who, now):
                return 0.0
            return self.half_life * math.log2(use / self.hot)

    def _light_about(self, who: Hashable, now: float) -> bool:
        """True when another party that is not hot runs now or ran lately (it would feel what hot parties take)."""
        return any(p != who and not self._hot(p, now) and (p in self._running or now - at <= self.about)
                   for p, (_, at) in self._used.items())

    def charge(self, who: Hashable, spent: float) -> None:
        """Add spent CPU seconds to the party's recent use (counted up to most × hot)."""
        with self._lock:
            now = self._clock()
            use = self._recent(who, now) + min(max(0.0, spent), self.per_run)
            if self.hot > 0:
                use = min(use, self.most * self.hot)
            self._used[who] = (use, now)
            for party in [p for p in self._used if self._recent(p, now) < FORGET and p not in self._running]:
                del self._used[party]

    def wait(self, who: Hashable) -> float:
        """Sleep (in steps of STEP_S, re-checking) until the party may run; the seconds waited."""
        waited = 0.0
        while (left := self.delay(who)) > MIN_WAIT_S:
            step = min(left, STEP_S)
            self._sleep(step)
            waited += step
        if waited:
            with self._lock:
                self.waits += 1
        return waited

    @contextmanager
    def run(self, who: Hashable, may_wait: bool = True) -> Iterator[None]:
        """One run of the party: wait if it is hot (and may_wait), then count the CPU the body costs this thread."""
        if self._inside.depth or who is None:
            yield
            return
        if may_wait:
            self.wait(who)
        with self._lock:
            self._running[who] = self._running.get(who, 0) + 1
            self._used.setdefault(who, (0.0, self._clock()))
        start, self._inside.depth = self._meter(), 1
        try:
            yield
        finally:
            self._inside.depth = 0
            with self._lock:
                self._running[who] -= 1
                if not self._running[who]:
                    del self._running[who]
            self.charge(who, self._meter() - start)
