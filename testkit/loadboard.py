"""Class-board part of the load scenario: a teacher makes a board and watches it; students publish after training.

    python bench/load.py --url ... --sessions 30 --trainings 30 --board --publish-together --think 0 0
    python bench/load.py --url ... --db URL --watchers 30 --entries 2000   # slider alone vs 30 board watchers
    python bench/load.py --url ... --db URL --replay 100 --query "train.size=8&train.epochs=1"  # forged replays
--db is the server's PLAYGROUND_DB: the board is filled (and counted) through the store, not the pages.
"""
from __future__ import annotations

import asyncio
import statistics
import time
from urllib.parse import parse_qs

from streamlit.proto.WidgetStates_pb2 import WidgetState

from playground.labs import lab
from testkit.stclient import ERROR_ALERT, Tab

PUBLISHED = "Published as"  # start of board.publish.done (en)


async def create_board(url: str, timeout: float) -> tuple[str, Tab]:
    """Open the board page, press Create; returns the class code and the teacher's tab (still open)."""
    tab = Tab(url, timeout=timeout)
    await tab.open(lab("class_board").url_path)
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


SLIDER = ("w.net.layers.0.kernel", (3, 5))  # the Layer lab's first kernel: a normal student's release
NICKS = 30  # the pre-filled board's students


class _Clock:
    """A clock for filling a board with runs that were published over the last hours."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def filled_board(db_url: str, entries: int) -> tuple[str, str]:
    """A board with `entries` runs of NICKS students, written to the server's database through the store."""
    from playground.board import db as board_db
    from playground.board.store import Store, open_store
    from testkit.boarddata import sample_entry

    engine = board_db.make_engine(db_url)
    try:
        code, key = open_store(engine).create_board()
        clock = _Clock(time.time() - entries * 15.0)  # one run every 15 s: within every student's rate
        store = Store(engine, clock=clock)
        for i in range(entries):
            clock.now += 15.0
            store.publish(code, f"student {i % NICKS}", sample_entry(i), run_id=f"fill-{i}")
        return code, key
    finally:
        engine.dispose()


async def trickle(db_url: str, code: str, key: str, every: float, stop: asyncio.Event) -> int:
    """The board changes every `every` seconds while the watchers watch: a student publishes a new run, or (on
    a full board) the teacher hides or shows the newest entry; returns how many changes."""
    from playground.board import BoardError
    from playground.board import db as board_db
    from playground.board.store import open_store
    from testkit.boarddata import sample_entry

    engine = board_db.make_engine(db_url)
    store, n = open_store(engine), 0
    try:
        while not stop.is_set():
            await asyncio.sleep(every)
            n += 1
            try:
                await asyncio.to_thread(store.publish, code, f"late {n}", sample_entry(10_000 + n), run_id=f"late-{n}")
            except BoardError:  # board.full
                newest = store.page(code, sort="new", include_hidden=True, key=key, limit=1).entries[0]
                await asyncio.to_thread(store.hide, code, key, newest.id, not newest.hidden)
    finally:
        engine.dispose()
    return n


async def releases(student, name: str, count: int) -> None:
    """A normal student in the Layer lab releases the kernel slider count times, a short pause between."""
    key, values = SLIDER
    for i in range(count):
        await asyncio.sleep(0.5)
        await student.act(name, student.tab.set(key, values[i % 2]))


async def watched(args, rec, make_student) -> None:
    """--watchers N --entries M: one student's slider releases alone, then with N tabs watching a board of M
    entries (one new entry every --trickle s), then alone again; prints the ratio of the medians."""
    code, key = await asyncio.to_thread(filled_board, args.db, args.entries)
    student = make_student(0, args, rec)
    await student.act("open_layer_lab", student.tab.open(lab("layer_lab").url_path))
    await releases(student, "slider_alone", args.releases)
    tabs = [Tab(args.url, timeout=args.timeout) for _ in range(args.watchers)]
    await asyncio.gather(*(rec_open(t, rec, code) for t in tabs))
    stop = asyncio.Event()
    watchers = [asyncio.create_task(watch_board(t, rec, stop)) for t in tabs]
    published = asyncio.create_task(trickle(args.db, code, key, args.trickle, stop))
    await asyncio.sleep(3 * 1.5)  # every watcher ticking
    await releases(student, "slider_watched", args.releases)
    stop.set()
    await asyncio.gather(*watchers)
    await asyncio.gather(*(t.close() for t in tabs))
    n = await published
    await releases(student, "slider_alone", args.releases)
    await student.tab.close()
    alone, loaded = (statistics.median(rec.times[k]) for k in ("slider_alone", "slider_watched"))
    print(f"board of {args.entries} entries ({n} changes meanwhile), {args.watchers} watchers: slider release "
          f"median alone {alone:.3f} s, watched {loaded:.3f} s, ratio {loaded / alone:.2f}")


async def rec_open(tab: Tab, rec, code: str) -> None:
    """A watcher opens the board page of the class."""
    start = time.perf_counter()
    try:
        await tab.open(lab("class_board").url_path, f"class={code}")
    except Exception as exc:  # noqa: BLE001 - a finding to report
        rec.error("board_open", f"{type(exc).__name__}: {exc}")
        return
    rec.latency("board_open", time.perf_counter() - start)


async def replayed(args, rec, make_student) -> None:
    """--replay N: a student trains, publishes, then sends the same Publish trigger N more times over the
    websocket (as a forged client would); prints how many entries the board holds afterwards."""
    from playground.board import db as board_db
    from playground.board.store import open_store

    engine = board_db.make_engine(args.db)
    try:
        code, _ = open_store(engine).create_board()
        args.query = "&".join(q for q in (f"class={code}", args.query) if q)
        student = make_student(0, args, rec)
        await student.act("open_link", student.tab.open("", args.query))
        if await student.act("open_training", student.tab.open(lab("training").url_path)) is None:
            return
        started = time.perf_counter()
        await student.act("start_training", student.tab.click("b.train.start"))
        await student.watch(started)
        if "w.view.board.nickname" not in student.tab.widgets:
            await student.act("results", student.tab.rerun())  # the full page draws the results and the box
        await student.act("nickname", student.tab.set("w.view.board.nickname", "replayer"))
        proto, fragment = student.tab.widgets["b.board.publish"]
        for _ in range(args.replay + 1):  # the first press, then the replays of its trigger
            await student.act("publish", student.tab.rerun(WidgetState(id=proto.id, trigger_value=True), fragment))
        count = len(open_store(engine).entries(code))
        print(f"Publish sent {args.replay + 1} times over the websocket: the board holds {count} entries")
        await student.tab.close()
    finally:
        engine.dispose()
