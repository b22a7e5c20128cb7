"""Fair turns on the server's cores: K slots, and a free slot goes to the party that used the least lately.

Streamlit sessions are threads of one process, so whoever asks most often would get most of the cores. Work
is cut into short turns (one layer's forward pass, one layer's picture, one training step) and each turn asks
the gate for a slot. Between two turns of a heavy party a waiting light one goes first: the waiter whose
party has the least recent use (an exponentially decaying sum of its turns' CPU seconds, half-life
`half_life` seconds) is served first, ties in arrival order. A party whose recent use exceeds `heavy`
seconds is heavy: heavy parties hold at most K − 1 slots together (K ≥ 2), so one core stays free for
everyone else's next turn, and while light parties are about they get at most `heavy_share` of one core.
"""
from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

POLL_S = 0.1  # how often a waiter re-checks its stop flag
FORGET = 1e-3  # seconds of decayed use below which a party is forgotten


@dataclass(order=True)
class _Waiter:
    rank: tuple = field(compare=True)  # filled in when the line is sorted
    seq: int = 0
    who: Hashable = field(default=None, compare=False)


class _Depth(threading.local):
    depth = 0  # turns this thread holds now


class FairGate:
    """K slots shared by parties (a session, a training run); least recent use goes first."""

    def __init__(self, slots: int, half_life: float = 10.0, heavy: float = math.inf, heavy_share: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, meter: Callable[[], float] = time.thread_time):
        """clock: what use decays by; meter: what a turn costs, the holding thread's CPU time (a busy machine
        stretches wall time, and a student should not turn heavy because someone else's job ran).

        heavy_share: while light parties are about (recent use), heavy turns together get at most this share
        of one core: after a heavy turn of s seconds, no heavy turn starts for s × (1 / share − 1) seconds.
        """
        self.slots, self.half_life, self.heavy, self.heavy_share = max(1, slots), half_life, heavy, heavy_share
        self._heavy_pause_until = -math.inf
        self._clock, self._meter = clock, meter
        self._cond = threading.Condition()
        self._used: dict[Hashable, tuple[float, float]] = {}  # party -> (seconds, when they were counted)
        self._held: dict[Hashable, int] = {}  # party -> slots held now
        self._line: list[_Waiter] = []
        self._seq = itertools.count()
        self._inside = _Depth()  # a turn inside a turn of the same thread is free

    @property
    def active(self) -> int:
        """Slots held now."""
        with self._cond:
            return sum(self._held.values())

    @property
    def waiting(self) -> int:
        """Turns waiting for a slot now."""
        with self._cond:
            return len(self._line)

    def is_heavy(self, who: Hashable) -> bool:
        """True when the party's recent use makes it heavy."""
        with self._cond:
            return self._is_heavy(who, self._clock())

    def used(self, who: Hashable) -> float:
        """The party's recent slot seconds (decayed to now)."""
        with self._cond:
            return self._recent(who, self._clock())

    def _recent(self, who: Hashable, now: float) -> float:
        seconds, at = self._used.get(who, (0.0, now))
        return seconds * 0.5 ** (max(0.0, now - at) / self.half_life)

    def _is_heavy(self, who: Hashable, now: float) -> bool:
        return self._recent(who, now) > self.heavy

    def _order(self, now: float) -> list[_Waiter]:
        """The line in serving order: least recent use first, then arrival."""
        for w in self._line:
            w.rank = (self._recent(w.who, now), w.seq)
        return sorted(self._line)

    def _next(self, now: float) -> _Waiter | None:
        """The waiter the next free slot goes to (None: no slot free, or only heavy waiters and no heavy room)."""
        if sum(self._held.values()) >= self.slots:
            return None
        heavy_room = max(1, self.slots - 1) - sum(n for p, n in self._held.items() if self._is_heavy(p, now))
        if now < self._heavy_pause_until:
            heavy_room = 0
        for w in self._order(now):
            if heavy_room > 0 or not self._is_heavy(w.who, now):
                return w
        return None

    def place(self, w: _Waiter, now: float) -> int:
        """1-based place of a waiter in the serving order."""
        return self._order(now).index(w) + 1

    def wait_until(self, predicate: Callable[[], bool], timeout: float | None = None) -> bool:
        """Block until predicate() (called under the gate's lock) holds; for tests and tools, no sleeping."""
        with self._cond:
            return self._cond.wait_for(predicate, timeout)

    @contextmanager
    def turn(self, who: Hashable, stop: threading.Event | None = None,
             report: Callable[[int], None] = lambda place: None) -> Iterator[bool]:
        """Wait for a slot, calling report(place) while waiting; yields True holding it, False if stopped first.

        A turn taken inside another turn of the same thread is granted at once: the outer turn holds the slot
        and counts the time.
        """
        if self._inside.depth:
            yield True
            return
        if not self._enter(who, stop, report):
            yield False
            return
        start, self._inside.depth = self._meter(), 1
        try:
            yield True
        finally:
            self._inside.depth = 0
            self._leave(who, self._meter() - start)

    @contextmanager
    def lease(self, who: Hashable, stop: threading.Event | None = None,
              report: Callable[[int], None] = lambda place: None) -> Iterator[Callable[[], bool] | None]:
        """Hold a slot over a series of turns; yields between() (None if stopped before the first turn).

        Call between() between two turns: it counts the time so far and, only when a waiter should go before
        this party, gives the slot up and waits for it again (False: stopped while waiting). Keeping the slot
        otherwise matters: a party that let go after every turn would find a heavier waiter in its slot each
        time it came back, and alternate with it.
        """
        if not self._enter(who, stop, report):
            yield None
            return
        held = [self._meter()]  # start of the time not yet counted; None once the slot is given up

        def between() -> bool:
            now = self._meter()
            with self._cond:
                self._charge(who, now - held[0])
                held[0] = now
                self._cond.notify_all()  # the order may have changed; wait_until watchers
                if not self._outranked(who, self._clock()):
                    return True
            self._leave(who, 0.0)
            held[0] = None
            if not self._enter(who, stop, report):
                return False
            held[0] = self._meter()
            return True

        try:
            yield between
        finally:
            if held[0] is not None:
                self._leave(who, self._meter() - held[0])

    def _charge(self, who: Hashable, spent: float) -> None:
        """Add spent seconds to the party's recent use (under the lock)."""
        now = self._clock()
        self._used[who] = (self._recent(who, now) + max(0.0, spent), now)

    def _light_about(self, now: float) -> bool:
        """True when some light party has recent use (it would feel what heavy parties take)."""
        return any(not self._is_heavy(p, now) and self._recent(p, now) >= FORGET for p in self._used)

    def _outranked(self, who: Hashable, now: float) -> bool:
        """True when a waiter would be served before `who` if who stood in line now (under the lock)."""
        mine = (self._recent(who, now), -1)
        heavy_room = max(1, self.slots - 1) - sum(n for p, n in self._held.items() if p != who and self._is_heavy(p, now))
        return any((self._recent(w.who, now), w.seq) < mine and (heavy_room > 0 or not self._is_heavy(w.who, now))
                   for w in self._line)

    def _enter(self, who: Hashable, stop: threading.Event | None, report: Callable[[int], None]) -> bool:
        """Stand in line until served (True) or stopped (False)."""
        w = _Waiter((), next(self._seq), who)
        with self._cond:
            self._line.append(w)
            self._cond.notify_all()  # wait_until watchers
            while self._next(self._clock()) is not w:
                if stop is not None and stop.is_set():
                    self._line.remove(w)
                    self._cond.notify_all()
                    return False
                report(self.place(w, self._clock()))
                self._cond.wait(POLL_S)
            self._line.remove(w)
            self._held[who] = self._held.get(who, 0) + 1
            self._cond.notify_all()  # another slot may still be free for the next in line
        report(0)
        return True

    def _leave(self, who: Hashable, spent: float) -> None:
        """Give the slot back and count what the turn cost."""
        with self._cond:
            now = self._clock()
            self._held[who] -= 1
            if not self._held[who]:
                del self._held[who]
            self._charge(who, spent)
            if self.heavy_share < 1 and self._is_heavy(who, now) and self._light_about(now):
                pause = spent * (1 / self.heavy_share - 1)
                self._heavy_pause_until = max(self._heavy_pause_until, now + pause)
            for party in [p for p in self._used if p not in self._held and self._recent(p, now) < FORGET]:
                del self._used[party]
            self._cond.notify_all()
