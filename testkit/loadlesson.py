"""A lesson run as a class under load: N students on the lesson page answer one question within a window.

    python bench/load.py --serve --db URL --answers 30 --window 10

A teacher's board (through the store, on --db) runs the built-in lesson "convolution", moved to its first number
question. N tabs open the lesson link and keep polling the class (their watcher fragment ticks); each sends its
answer at a random moment of the window. The teacher's projector tab ticks its live fragment all along; the
figure is how long after the last answer's reply the projector first counts all N answers.
"""
from __future__ import annotations

import asyncio
import random
import re
import time

from testkit.stclient import ERROR_ALERT, Tab

LESSON = "convolution"
COUNT = re.compile(r"\*\*(\d+)\*\*")  # lessonclass.answers_count: "**{n}** answers so far"


def class_on_a_question(db_url: str) -> tuple[str, str, int, object]:
    """A board running LESSON at its first number question: (code, key, scene, right answer)."""
    from playground.board import db as board_db
    from playground.board.store import open_store
    from playground.lessons import builtin

    lesson = builtin()[LESSON]
    scene = next(i for i, s in enumerate(lesson.scenes) if s.prediction is not None and s.prediction.kind == "number")
    engine = board_db.make_engine(db_url)
    try:
        store = open_store(engine)
        code, key = store.create_board()
        store.start_lesson(code, key, LESSON, len(lesson.scenes))
        store.go_to(code, key, scene)
        return code, key, scene, lesson.scenes[scene].prediction.answer
    finally:
        engine.dispose()


def stored_count(db_url: str, code: str, scene: int) -> int:
    from playground.board import db as board_db
    from playground.board.store import Store

    engine = board_db.make_engine(db_url)
    try:
        return len(Store(engine).answers(code, scene))
    finally:
        engine.dispose()


LOCKS: dict[int, asyncio.Lock] = {}  # one websocket per tab: a tick and an answer take turns, as in a browser


def turn(tab: Tab) -> asyncio.Lock:
    return LOCKS.setdefault(id(tab), asyncio.Lock())


async def poll(tab: Tab, rec, name: str, stop: asyncio.Event, seen=None) -> None:
    """Tick the tab's run_every fragments at their interval until stop; seen(run) sees every tick's run."""
    while not stop.is_set():
        if not tab.auto:
            rec.error(name, "the page has no polling fragment")
            return
        interval = min(tab.auto.values())
        await asyncio.sleep(interval)
        for fragment in list(tab.auto):
            start = time.perf_counter()
            try:
                async with turn(tab):
                    run = await tab.tick(fragment)
            except Exception as exc:  # noqa: BLE001 - a finding to report
                rec.error(name, f"{type(exc).__name__}: {exc}")
                return
            rec.latency(name, time.perf_counter() - start)
            for text in run.texts(ERROR_ALERT):
                rec.error(name, text)
            if seen is not None:
                seen(run)


async def answers(args, rec, make_student) -> None:
    """--answers N: N students answer within --window seconds; prints errors and the projector's delay."""
    code, key, scene, right = await asyncio.to_thread(class_on_a_question, args.db)
    teacher = Tab(args.url, timeout=args.timeout)
    await teacher.open("class_board", f"class={code}&teacher={key}&projector=1")
    counted = {"n": 0, "at": None}

    def projector(run) -> None:
        for body in run.markdown:
            found = COUNT.search(body)
            if found and "answers" in body:
                counted["n"] = int(found.group(1))
                if counted["n"] >= args.answers and counted["at"] is None:
                    counted["at"] = time.perf_counter()
    stop = asyncio.Event()
    watching = asyncio.create_task(poll(teacher, rec, "projector_tick", stop, projector))
    tabs = [Tab(args.url, timeout=args.timeout) for _ in range(args.answers)]
    await asyncio.gather(*(_open(t, rec, code) for t in tabs))
    polling = [asyncio.create_task(poll(t, rec, "student_tick", stop)) for t in tabs]
    value = ",".join(str(v) for v in right) if isinstance(right, (list, tuple)) else str(right)
    rng = random.Random(0)
    done: list[float] = []

    async def answer(tab: Tab, n: int) -> None:
        await asyncio.sleep(rng.uniform(0, args.window))
        if "w.lc.typed" not in tab.widgets:
            rec.error("answer", f"student {n}: no answer box on the lesson page")
            return
        try:
            async with turn(tab):
                start = time.perf_counter()
                await tab.set("w.lc.typed", value if n % 3 else "1")
                run = await tab.click("b.lc.send")
        except Exception as exc:  # noqa: BLE001 - a finding to report
            rec.error("answer", f"{type(exc).__name__}: {exc}")
            return
        done.append(time.perf_counter())
        rec.latency("answer", done[-1] - start)
        for text in run.texts(ERROR_ALERT):
            rec.error("answer", text)
    began = time.perf_counter()
    await asyncio.gather(*(answer(t, n) for n, t in enumerate(tabs)))
    wait_until = time.perf_counter() + 30
    while counted["at"] is None and time.perf_counter() < wait_until:
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(watching, *polling)
    await asyncio.gather(teacher.close(), *(t.close() for t in tabs))
    stored = await asyncio.to_thread(stored_count, args.db, code, scene)
    last = max(done) if done else began
    delay = None if counted["at"] is None else max(0.0, counted["at"] - last)
    print(f"{args.answers} students answered within {last - began:.1f} s ({len(done)} replies, {stored} answers "
          f"stored, {len(rec.errors)} errors); the projector counted {counted['n']} answers, all of them "
          + (f"{delay:.2f} s after the last answer" if delay is not None else "never within 30 s"))
    if stored != args.answers:
        rec.error("answer", f"{stored} answers stored, {args.answers} expected")
    if delay is None:
        rec.error("projector", "the projector never counted every answer")


async def _open(tab: Tab, rec, code: str) -> None:
    from urllib.parse import urlencode

    from playground.classroom.lessonlink import lesson_query

    start = time.perf_counter()
    try:
        await tab.open("lesson", urlencode(lesson_query(code, LESSON)))
    except Exception as exc:  # noqa: BLE001 - a finding to report
        rec.error("lesson_open", f"{type(exc).__name__}: {exc}")
        return
    rec.latency("lesson_open", time.perf_counter() - start)
