"""Class-board part of the load scenario: a teacher makes a board and watches it; students publish after training.

    python bench/load.py --url ... --sessions 30 --trainings 30 --board --publish-together --think 0 0
"""
from __future__ import annotations

import asyncio
import time
from urllib.parse import parse_qs

from testkit.stclient import ERROR_ALERT, Tab

PUBLISHED = "Published as"  # start of board.publish.done (en)


async def create_board(url: str, timeout: float) -> tuple[str, Tab]:
    """Open the board page, press Create; returns the class code and the teacher's tab (still open)."""
    tab = Tab(url, timeout=timeout)
    await tab.open("class_board")
    await tab.click("b.board.create")
    code = parse_qs(tab.query).get("class", [""])[0]
    if not code:
        raise RuntimeError(f"no class code after Create board: {tab.query!r}")
    return code, tab


async def watch_board(tab: Tab, rec, stop: asyncio.Event) -> None:
    """The teacher's open board: follow its live fragment's ticks (one poll of the database each) until stop."""
    while not stop.is_set():
        if not tab.auto:
            rec.error("board_tick", "the board page has no live fragment")
            return
        fragment, interval = next(iter(tab.auto.items()))
        await asyncio.sleep(interval)
        start = time.perf_counter()
        try:
            run = await tab.tick(fragment)
        except Exception as exc:  # noqa: BLE001 - a finding to report
            rec.error("board_tick", f"{type(exc).__name__}: {exc}")
            return
        rec.latency("board_tick", time.perf_counter() - start)
        for text in run.texts(ERROR_ALERT):
            rec.message("board_tick", text)


class Gate:
    """--publish-together: every student waits until all trainings have ended, then all act at once.

    Two phases: first everyone reruns the Training lab page at the same moment (the baseline: what the same
    page costs without the board), then everyone presses Publish at the same moment.
    """

    PHASES = ("baseline", "publish")

    def __init__(self, expected: int, together: bool):
        self.expected, self.together = expected, together
        self.arrived = dict.fromkeys(self.PHASES, 0)
        self.open = {phase: asyncio.Event() for phase in self.PHASES}

    async def wait(self, phase: str) -> None:
        """Arrive; with together, return only when everyone has arrived (or gave up: see leave)."""
        self.arrived[phase] += 1
        self._check()
        await self.open[phase].wait()

    def leave(self) -> None:
        """A student whose training failed will not arrive: do not keep the others waiting for it."""
        self.expected -= 1
        self._check()

    def _check(self) -> None:
        for phase in self.PHASES:
            if not self.together or self.arrived[phase] >= self.expected:
                self.open[phase].set()


async def publish(student, gate: Gate) -> None:
    """Type a nickname, press Publish (timed as "publish") and check the success note."""
    if "w.view.board.nickname" not in student.tab.widgets:
        student.rec.error("publish", f"session {student.n}: no publish box after training")
        gate.leave()
        return
    await student.act("nickname", student.tab.set("w.view.board.nickname", f"student {student.n}"))
    if gate.together:
        await gate.wait("baseline")
        await student.act("rerun_together", student.tab.rerun())  # the same page, nothing published
    await gate.wait("publish")
    run = await student.act("publish", student.tab.click("b.board.publish"))
    if run is not None and not any(text.startswith(PUBLISHED) for text in run.texts()):
        student.rec.error("publish", f"session {student.n}: not published: {run.texts()[:3]}")
