"""The fair gate: who is served first, how many slots heavy parties get, stop, decay (a fake clock, no timing)."""
from __future__ import annotations

import math
import threading

from playground.fair import FairGate


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def spend(gate: FairGate, clock: Clock, who: str, seconds: float) -> None:
    """One turn of `who` that holds its slot for `seconds` of the fake clock."""
    with gate.turn(who) as got:
        assert got
        clock.now += seconds


def queued(gate: FairGate, parties: list[str], served: list[str], turns: int = 1) -> list[threading.Thread]:
    """One thread per party, started one after another (each in line before the next starts)."""
    threads = []
    for who in parties:
        def work(who=who):
            for _ in range(turns):
                with gate.turn(who):
                    served.append(who)
        t = threading.Thread(target=work)
        before = gate.waiting
        t.start()
        assert gate.wait_until(lambda before=before: gate.waiting > before, timeout=10)
        threads.append(t)
    return threads


def test_the_party_with_least_recent_use_goes_first_not_the_first_in_line():
    clock = Clock()
    gate = FairGate(1, half_life=10, clock=clock, meter=clock)
    spend(gate, clock, "hog", 5.0)
    served: list[str] = []
    with gate.turn("teacher"):
        threads = queued(gate, ["hog", "student"], served)  # the hog is first in line
    for t in threads:
        t.join(10)
    assert served == ["student", "hog"]


def test_equal_parties_take_turns():
    clock = Clock()
    gate = FairGate(1, clock=clock, meter=clock)
    served: list[str] = []
    with gate.turn("teacher"):
        threads = queued(gate, ["a", "b"], served, turns=3)
    for t in threads:
        t.join(10)
    # instantaneous turns on the fake clock: equal use, so whoever has waited longest (round robin)
    assert served == ["a", "b"] * 3 and gate.active == 0 and gate.waiting == 0


def test_a_long_party_yields_to_a_new_one_at_every_turn():
    clock = Clock()
    gate = FairGate(1, half_life=1000, clock=clock, meter=clock)
    for _ in range(3):
        spend(gate, clock, "long", 1.0)
    served: list[str] = []
    with gate.turn("long"):
        clock.now += 1.0
        threads = queued(gate, ["long", "short"], served, turns=2)
    for t in threads:
        t.join(10)
    assert served[:2] == ["short", "short"]  # 0 s and then 0 s of use: both before the long run's next turn


def test_heavy_parties_share_all_but_one_slot():
    clock = Clock()
    gate = FairGate(2, half_life=10, heavy=1.0, clock=clock, meter=clock)
    spend(gate, clock, "hog1", 5.0)
    spend(gate, clock, "hog2", 5.0)
    served: list[str] = []
    with gate.turn("hog1") as got:
        assert got and gate.active == 1
        threads = queued(gate, ["hog2"], served)
        assert gate.active == 1 and gate.waiting == 1  # a free slot, but not for a second heavy party
        seen: list[int] = []

        def student():
            with gate.turn("student"):  # the free slot is there for a light party at once
                seen.append(gate.active)

        light = threading.Thread(target=student)
        light.start()
        light.join(10)
        assert seen == [2]
    for t in threads:
        t.join(10)
    assert served == ["hog2"]


def test_one_slot_still_serves_a_heavy_party():
    clock = Clock()
    gate = FairGate(1, heavy=1.0, clock=clock, meter=clock)
    spend(gate, clock, "hog", 5.0)
    with gate.turn("hog") as got:
        assert got


def test_a_stopped_waiter_leaves_the_line():
    gate = FairGate(1, clock=(c := Clock()), meter=c)
    stop, places, result = threading.Event(), [], []
    with gate.turn("a"):
        def wait():
            with gate.turn("b", stop, places.append) as got:
                result.append(got)
        t = threading.Thread(target=wait)
        t.start()
        assert gate.wait_until(lambda: gate.waiting == 1, timeout=10)
        stop.set()
        t.join(10)
    assert result == [False] and gate.waiting == 0 and gate.active == 0 and places and places[0] == 1


def test_use_decays_with_the_half_life_and_is_forgotten():
    clock = Clock()
    gate = FairGate(1, half_life=10, clock=clock, meter=clock)
    spend(gate, clock, "a", 4.0)
    assert gate.used("a") == 4.0
    clock.now += 10
    assert gate.used("a") == 2.0
    clock.now += 1000
    spend(gate, clock, "b", 1.0)  # a leave prunes parties whose use has decayed away
    assert "a" not in gate._used and gate.used("b") == 1.0


def test_a_lease_keeps_its_slot_until_a_party_with_less_use_waits():
    clock = Clock()
    gate = FairGate(1, half_life=math.inf, clock=clock, meter=clock)  # no decay: exact sums
    spend(gate, clock, "other", 2.0)
    served: list[str] = []
    with gate.lease("run") as between:
        clock.now += 1.0
        assert between() and gate.used("run") == 1.0  # nobody waits: kept, and the second is counted
        threads = queued(gate, ["other"], served)
        assert between() and served == [] and gate.active == 1  # the waiter has used more (2 s): kept
        clock.now += 2.0
        assert between() and served == ["other"]  # 3 s > 2 s: given up, the other served, then back
        assert gate.used("run") == 3.0
    for t in threads:
        t.join(10)
    assert gate.active == 0 and gate.waiting == 0


def test_a_turn_inside_a_turn_of_the_same_thread_is_free():
    clock = Clock()
    gate = FairGate(1, clock=clock, meter=clock)
    with gate.turn("page") as outer:
        with gate.turn("page") as inner:  # one layer of the page's own run: the page holds the only slot
            clock.now += 1.0
            assert outer and inner and gate.active == 1
    assert gate.used("page") == 1.0 and gate.active == 0  # counted once, by the outer turn


def test_a_party_is_heavy_above_the_threshold_of_recent_use():
    clock = Clock()
    gate = FairGate(2, half_life=10, heavy=1.0, clock=clock, meter=clock)
    spend(gate, clock, "hog", 1.5)
    assert gate.is_heavy("hog") and not gate.is_heavy("student")
    clock.now += 10  # one half-life: 0.75 s
    assert not gate.is_heavy("hog")


def test_heavy_turns_pause_while_light_parties_are_about():
    clock = Clock()
    gate = FairGate(2, half_life=10, heavy=1.0, heavy_share=0.5, clock=clock, meter=clock)
    spend(gate, clock, "hog", 2.0)  # no light party about yet: no pause
    spend(gate, clock, "hog", 0.0)
    spend(gate, clock, "student", 0.1)
    spend(gate, clock, "hog", 1.0)  # heavy, 1 s, share 0.5: heavy turns wait 1 s
    served: list[str] = []
    threads = queued(gate, ["hog"], served)
    assert gate.wait_until(lambda: gate.waiting == 1, timeout=10) and gate.active == 0 and served == []
    seen: list[int] = []

    def student():
        with gate.turn("student"):  # a light party is not paused
            seen.append(gate.active)

    light = threading.Thread(target=student)
    light.start()
    light.join(10)
    assert seen == [1] and served == []
    clock.now += 1.0  # the pause is over
    for t in threads:
        t.join(10)
    assert served == ["hog"]
