"""The rerun pacer: who waits, how long, and what share a back-to-back tab keeps (a fake clock, no timing)."""
from __future__ import annotations

import math

from playground.pace import Pacer


class Clock:
    """A clock the test moves by hand; sleeping moves it too."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pacer(clock: Clock, hot: float = 0.5, half_life: float = 10.0, most: float = 1.5) -> Pacer:
    return Pacer(hot, half_life, most, clock=clock, meter=clock, sleep=clock.sleep)


def run(p: Pacer, clock: Clock, who: str, cpu: float) -> float:
    """One run of `who` costing `cpu` seconds (of the fake clock); the seconds it waited before starting."""
    before = len(clock.sleeps)
    with p.run(who):
        clock.now += cpu
    return sum(clock.sleeps[before:])


def hog_beside_a_student() -> tuple[Clock, Pacer]:
    """A tab made hot by twenty back-to-back runs, and a student who has just run: the hog would now wait."""
    clock = Clock()
    p = pacer(clock)
    for _ in range(20):
        run(p, clock, "hog", 0.1)
    run(p, clock, "student", 0.1)
    return clock, p


def test_a_tab_alone_is_never_paced_however_fast_it_reruns():
    clock = Clock()
    p = pacer(clock)
    waited = [run(p, clock, "hog", 0.1) for _ in range(50)]
    assert p.is_hot("hog") and waited == [0.0] * 50


def test_a_hot_tab_waits_while_a_student_is_about_and_the_student_never_does():
    clock = Clock()
    p = pacer(clock)
    for _ in range(20):
        run(p, clock, "hog", 0.1)
    assert run(p, clock, "student", 0.1) == 0.0  # the student is not hot: goes straight on
    use = p.used("hog")
    expected = 10.0 * math.log2(use / 0.5)  # until its use has decayed back to `hot`
    with p.run("hog"):
        assert math.isclose(p.used("hog"), 0.5)  # it starts once its use is back at `hot`
        clock.now += 0.1
    assert expected > 0 and math.isclose(sum(clock.sleeps), expected)
    assert p.waits == 1


def test_the_wait_is_slept_in_short_steps_that_recheck():
    clock = Clock()
    p = pacer(clock, most=4.0)
    for _ in range(40):
        run(p, clock, "hog", 0.1)
    run(p, clock, "student", 0.01)
    run(p, clock, "hog", 0.1)
    assert len(clock.sleeps) > 1 and max(clock.sleeps) <= 0.25


def test_the_wait_ends_when_the_student_leaves():
    clock = Clock()
    p = pacer(clock, hot=0.5, half_life=10.0, most=4.0)
    for _ in range(80):
        run(p, clock, "hog", 0.1)  # 8 s alone: not paced, hot
    run(p, clock, "student", 0.01)  # one release, then the student stops working (or closes the tab)
    waited = run(p, clock, "hog", 0.1)
    full = 10.0 * math.log2(4.0)
    assert math.isclose(waited, 10.0, abs_tol=0.25) and waited < full  # until 10 s after the student's run


def test_one_wait_is_bounded_however_long_the_tab_ran_unpaced():
    clock = Clock()
    p = pacer(clock, hot=0.5, half_life=10.0, most=1.5)
    for _ in range(1000):
        run(p, clock, "hog", 0.1)
    assert p.used("hog") <= 0.75 + 1e-9
    run(p, clock, "student", 0.5)  # a student about, busy for a while (stays light: 0.5 is not above hot)
    assert run(p, clock, "hog", 0.1) <= 10.0 * math.log2(1.5) + 1e-9


def test_a_back_to_back_tab_keeps_about_hot_ln2_over_half_life_of_a_core():
    clock = Clock()
    p = pacer(clock, hot=0.5, half_life=10.0)
    start_cpu, start = 0.0, None
    for i in range(3000):
        if i % 2 == 0:
            run(p, clock, "student", 0.02)  # a student who keeps working (a release every few seconds)
        if i == 500:
            start, start_cpu = clock.now, 0.0
        run(p, clock, "hog", 0.06)
        if start is not None:
            start_cpu += 0.06
    share = start_cpu / (clock.now - start)
    assert math.isclose(share, 0.5 * math.log(2) / 10.0, rel_tol=0.1)


def test_a_fragment_inside_a_page_run_is_counted_once_and_not_paced_again():
    clock, p = hog_beside_a_student()
    with p.run("hog"):
        waits = p.waits
        with p.run("hog"):  # nested: no second wait
            clock.now += 0.2
        assert p.waits == waits
    assert p.waits == 1


def test_one_costly_run_does_not_make_a_tab_hot_many_close_together_do():
    clock = Clock()
    p = Pacer(0.5, 10.0, per_run=0.2, clock=clock, meter=clock, sleep=clock.sleep)
    run(p, clock, "student", 0.01)
    run(p, clock, "first", 3.0)  # a cold start: imports, the first pictures
    assert not p.is_hot("first") and run(p, clock, "first", 0.1) == 0.0
    for _ in range(3):
        run(p, clock, "student", 0.01)
        run(p, clock, "big", 0.6)
    assert p.is_hot("big") and run(p, clock, "big", 0.6) > 0


def test_a_student_counts_as_about_while_running_even_before_any_run_ended():
    clock = Clock()
    p = pacer(clock)
    for _ in range(20):
        run(p, clock, "hog", 0.1)
    with p.run("student"):  # the student's first run is going
        assert p.delay("hog") > 0


def test_off_when_hot_is_zero_and_outside_a_session():
    clock = Clock()
    p = pacer(clock, hot=0.0)
    for _ in range(50):
        run(p, clock, "hog", 0.2)
    run(p, clock, "student", 0.1)
    assert run(p, clock, "hog", 0.2) == 0.0 and not p.is_hot("hog")
    with p.run(None):  # no session (a script outside Streamlit): nothing counted
        clock.now += 1
    assert None not in p._used


def test_a_tab_that_may_not_wait_runs_at_once_and_is_still_counted():
    """The teacher's tab: never paced, however hot, but its runs count (a light one is about for the others)."""
    clock, p = hog_beside_a_student()
    before = p.used("hog")
    with p.run("hog", may_wait=False):
        clock.now += 0.1
    assert p.is_hot("hog") and clock.sleeps == [] and p.used("hog") > before
    assert run(p, clock, "hog", 0.1) > 0  # the same tab, when it may wait, still does
