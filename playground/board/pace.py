"""A board runs a lesson: the teacher's scene and pace, reveals, a spotlight, and the students' answers.

One classes row per board holds the lesson id, the teacher's scene, paced or self-paced, the revealed scenes,
the spotlight and the lesson link's locks. Its revision rises with every change of the class (the teacher's
moves, an answer, a student arriving on another scene), so a student's page reads one small row per tick and
anything more only when it moved (ClassWatch). Every teacher action checks the key in the changing
transaction, which locks the board's row like the moderation does; answers take the same lock, so one
student's answer per scene stays one row under a class answering at once.
"""
from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from playground.board import validate as check
from playground.board.base import StoreBase
from playground.board.errors import BoardError
from playground.board.tables import class_answers, class_students, classes, entries
from playground.classroom.lock import lockable
from playground.spec import PipelineSpec

MAX_SCENES = 200
ANSWER_RATE, ANSWER_WINDOW_S = 10, 60.0  # answers (changes included) per student tab per window
PRESENT_S = 90.0  # a student seen on a scene this recently counts as there (pages report every HEARTBEAT_S)
HEARTBEAT_S = 30.0
MAX_STUDENTS = 500  # tabs one class keeps; more are refused (board.full's cousin)
NUMBER_MAX = 1e12
_LESSON = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")
_CHOICE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_CL, _ST, _AN = classes.c, class_students.c, class_answers.c


@dataclass(frozen=True)
class Spotlight:
    """What the teacher puts on the projector: one published run (entry) or one student's view of a scene."""

    entry: int | None = None
    author: str | None = None
    nickname: str = ""
    scene: int | None = None

    def to_json(self) -> str:
        return json.dumps({"entry": self.entry, "author": self.author, "nickname": self.nickname, "scene": self.scene})

    @classmethod
    def from_json(cls, text: str | None) -> Spotlight | None:
        if not text:
            return None
        data = json.loads(text)
        return cls(data["entry"], data["author"], data["nickname"], data["scene"])


@dataclass(frozen=True)
class ClassState:
    """A board's lesson as everyone follows it; lesson "" when none runs."""

    lesson: str = ""
    scenes: int = 0
    scene: int = 0
    paced: bool = True
    revealed: frozenset[int] = frozenset()
    spotlight: Spotlight | None = None
    locks: tuple[str, ...] = ()
    revision: int = 0

    @property
    def running(self) -> bool:
        return bool(self.lesson)

    def may_show(self, index: int) -> bool:
        """A student may look at scene index: any when self-paced, else the teacher's scene and those before."""
        return 0 <= index < self.scenes and (not self.paced or index <= self.scene)


@dataclass(frozen=True)
class Student:
    """One student tab of the class, as the teacher's roster shows it."""

    author: str
    nickname: str
    scene: int
    seen: float  # Unix seconds of its last report
    answered: frozenset[int]
    shared: bool = False  # it sent its settings for the teacher's spotlight


def _state(row) -> ClassState:
    if row is None:
        return ClassState()
    return ClassState(row.lesson, int(row.scenes), int(row.scene), bool(row.paced),
                      frozenset(int(i) for i in json.loads(row.revealed)), Spotlight.from_json(row.spotlight),
                      tuple(p for p in row.locks.split(",") if p), int(row.revision))


def answer_value(value: object, choices: tuple[str, ...] | None = None) -> str:
    """An answer as stored: a finite number (its shortest text) or, with choices, one of them."""
    if choices is not None:
        if not isinstance(value, str) or value not in choices or not _CHOICE.fullmatch(value):
            raise BoardError("lessonclass.bad_choice")
        return value
    if isinstance(value, tuple) and 1 <= len(value) <= 4:  # a shape: whole numbers, stored "8,8"
        return ",".join(_number(v, whole=True) for v in value)
    return _number(value)


def _number(value: object, whole: bool = False) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BoardError("lessonclass.bad_number")
    number = float(value)
    if not math.isfinite(number) or abs(number) > NUMBER_MAX or (whole and not number.is_integer()):
        raise BoardError("lessonclass.bad_number")
    return repr(int(number)) if number.is_integer() else repr(number)


class PaceMixin(StoreBase):
    """The class's lesson: the teacher's actions, the students' presence and answers, what everyone reads."""

    def _class_row(self, conn: sa.Connection, board_id: int, need: bool = True):
        row = conn.execute(sa.select(classes).where(_CL.board_id == board_id)).first()
        if row is None and need:
            raise BoardError("lessonclass.no_lesson")
        return row

    @staticmethod
    def _bump_class(conn: sa.Connection, board_id: int, **values) -> None:
        conn.execute(sa.update(classes).where(_CL.board_id == board_id).values(revision=_CL.revision + 1, **values))

    def _teacher_change(self, code: str, key: str, values: Callable[[object], dict]) -> ClassState:
        """values(class row) -> columns to set, with the key checked and the board locked in one transaction."""
        def work(conn: sa.Connection) -> ClassState:
            board = self._teacher(conn, code, key, lock=True)
            self._bump_class(conn, board.id, **values(self._class_row(conn, board.id)))
            return _state(self._class_row(conn, board.id))
        return self._write(work)

    def start_lesson(self, code: str, key: str, lesson: str, scenes: int, paced: bool = True,
                     locks: tuple[str, ...] = ()) -> ClassState:
        """Run lesson (its id and number of scenes) on the board from scene 0; earlier answers go."""
        if not isinstance(lesson, str) or not _LESSON.fullmatch(lesson):
            raise BoardError("lessonclass.bad_lesson")
        scenes = check.integer(scenes, "scenes", 1, MAX_SCENES)
        locks = self._locks(locks)

        def work(conn: sa.Connection) -> ClassState:
            board = self._teacher(conn, code, key, lock=True)
            conn.execute(sa.delete(class_answers).where(_AN.board_id == board.id))
            values = {"lesson": lesson, "scenes": scenes, "scene": 0, "paced": bool(paced), "revealed": "[]",
                      "spotlight": None, "locks": ",".join(locks), "started": self.clock()}
            old = self._class_row(conn, board.id, need=False)
            if old is None:
                conn.execute(sa.insert(classes).values(board_id=board.id, revision=1, **values))
            else:
                self._bump_class(conn, board.id, **values)
            return _state(self._class_row(conn, board.id))
        return self._write(work)

    @staticmethod
    def _locks(locks: object) -> tuple[str, ...]:
        if isinstance(locks, str) or not hasattr(locks, "__iter__"):
            raise BoardError("board.bad_field", field="locks")
        known = set(lockable())
        found = tuple(dict.fromkeys(locks))
        if any(p not in known for p in found) or len(found) > len(known):
            raise BoardError("board.bad_field", field="locks")
        return found

    def stop_lesson(self, code: str, key: str) -> ClassState:
        """End the board's lesson: students' pages stop following (their answers stay until the next start)."""
        return self._teacher_change(code, key, lambda row: {"lesson": ""})

    def go_to(self, code: str, key: str, scene: int) -> ClassState:
        """Move the class to scene (Next / Back send the scene they mean: a double press moves once)."""
        def values(row) -> dict:
            return {"scene": check.integer(scene, "scene", 0, int(row.scenes) - 1), "spotlight": None}
        return self._teacher_change(code, key, values)

    def set_paced(self, code: str, key: str, paced: bool) -> ClassState:
        """Teacher-paced (students follow, cannot run ahead) or self-paced (any scene)."""
        return self._teacher_change(code, key, lambda row: {"paced": bool(paced)})

    def reveal(self, code: str, key: str, scene: int, revealed: bool = True) -> ClassState:
        """Show (or hide again) the right answer of a prediction scene to everyone."""
        def values(row) -> dict:
            index = check.integer(scene, "scene", 0, int(row.scenes) - 1)
            now = {int(i) for i in json.loads(row.revealed)}
            now = now | {index} if revealed else now - {index}
            return {"revealed": json.dumps(sorted(now))}
        return self._teacher_change(code, key, values)

    def set_spotlight(self, code: str, key: str, spotlight: Spotlight | None) -> ClassState:
        """Put one published run or one student's scene on the projector; None takes it down."""
        def work(conn: sa.Connection) -> ClassState:
            board = self._teacher(conn, code, key, lock=True)
            row = self._class_row(conn, board.id)
            self._bump_class(conn, board.id, spotlight=self._checked_spotlight(conn, board.id, row, spotlight))
            return _state(self._class_row(conn, board.id))
        return self._write(work)

    @staticmethod
    def _checked_spotlight(conn: sa.Connection, board_id: int, row, spot: Spotlight | None) -> str | None:
        if spot is None:
            return None
        if not isinstance(spot, Spotlight) or (spot.entry is None) == (spot.author is None):
            raise BoardError("board.bad_field", field="spotlight")
        if spot.entry is not None:
            entry = check.integer(spot.entry, "entry_id", 1, 2**62)
            found = conn.execute(sa.select(entries.c.id).where(entries.c.id == entry, entries.c.board_id == board_id,
                                                               entries.c.hidden.is_(False))).first()
            if found is None:
                raise BoardError("board.unknown_entry", id=entry)
            return Spotlight(entry=entry).to_json()
        author = check.token(spot.author, "author")
        student = conn.execute(sa.select(class_students).where(_ST.board_id == board_id, _ST.author == author)).first()
        if student is None:
            raise BoardError("lessonclass.unknown_student")
        scene = check.integer(spot.scene, "scene", 0, int(row.scenes) - 1)
        return Spotlight(author=author, nickname=student.nickname, scene=scene).to_json()

    def _student(self, conn: sa.Connection, board_id: int, author: str, nickname: str, scene: int | None):
        """The student's row, made or updated (nickname, and scene when given); returns it."""
        now = self.clock()
        row = conn.execute(sa.select(class_students).where(_ST.board_id == board_id, _ST.author == author)).first()
        if row is None:
            count = conn.execute(sa.select(sa.func.count()).where(_ST.board_id == board_id)).scalar_one()
            if count >= MAX_STUDENTS:
                raise BoardError("lessonclass.full", max=MAX_STUDENTS)
            conn.execute(sa.insert(class_students).values(board_id=board_id, author=author, nickname=nickname,
                                                          scene=scene or 0, seen=now, rate_start=now, rate_count=0))
        else:
            values = {"seen": now, "nickname": nickname or row.nickname}
            if scene is not None:
                values["scene"] = scene
            conn.execute(sa.update(class_students).where(_ST.board_id == board_id, _ST.author == author).values(values))
        return conn.execute(sa.select(class_students).where(_ST.board_id == board_id, _ST.author == author)).one()

    def seen(self, code: str, author: str, nickname: str, scene: int) -> ClassState:
        """A student's page shows scene (presence); the class revision rises only when the scene changed."""
        author, nickname = check.token(author, "author"), self._nick(nickname)

        def work(conn: sa.Connection) -> ClassState:
            board = self._live(conn, code, lock=True)
            row = self._class_row(conn, board.id)
            index = check.integer(scene, "scene", 0, int(row.scenes) - 1)
            old = conn.execute(sa.select(_ST.scene, _ST.nickname).where(_ST.board_id == board.id,
                                                                        _ST.author == author)).first()
            self._student(conn, board.id, author, nickname, index)
            if old is None or int(old.scene) != index or (nickname and old.nickname != nickname):
                self._bump_class(conn, board.id)
            return _state(self._class_row(conn, board.id))
        return self._write(work)

    @staticmethod
    def _nick(nickname: object) -> str:
        return "" if nickname in ("", None) else check.nickname(nickname)

    def answer(self, code: str, author: str, nickname: str, scene: int, value: object,
               choices: tuple[str, ...] | None = None) -> str:
        """A student's answer to a prediction scene (a number, or one of choices); a second answer replaces it.

        Refused once the scene is revealed, on a scene the class has not reached (paced), and above
        ANSWER_RATE answers per ANSWER_WINDOW_S seconds per tab (lessonclass.too_fast).
        """
        author, nickname = check.token(author, "author"), self._nick(nickname)
        text = answer_value(value, choices)

        def work(conn: sa.Connection) -> str:
            board = self._open(conn, code, lock=True)
            state = _state(self._class_row(conn, board.id))
            index = check.integer(scene, "scene", 0, state.scenes - 1)
            if not state.running:
                raise BoardError("lessonclass.no_lesson")
            if not state.may_show(index):
                raise BoardError("lessonclass.not_yet")
            if index in state.revealed:
                raise BoardError("lessonclass.revealed")
            student = self._student(conn, board.id, author, nickname, None)
            self._rate(conn, board.id, student)
            key = {"board_id": board.id, "author": author, "scene": index}
            done = conn.execute(sa.update(class_answers).where(*(class_answers.c[k] == v for k, v in key.items()))
                                .values(value=text, created=self.clock())).rowcount
            if done == 0:
                conn.execute(sa.insert(class_answers).values(**key, value=text, created=self.clock()))
            self._bump_class(conn, board.id)
            return text
        return self._write(work)

    def _rate(self, conn: sa.Connection, board_id: int, student) -> None:
        now = self.clock()
        start, count = float(student.rate_start), int(student.rate_count)
        if now - start >= ANSWER_WINDOW_S:
            start, count = now, 0
        if count >= ANSWER_RATE:
            wait = max(1, math.ceil(start + ANSWER_WINDOW_S - now))
            raise BoardError("lessonclass.too_fast", n=ANSWER_RATE, window=round(ANSWER_WINDOW_S), seconds=wait)
        conn.execute(sa.update(class_students).where(_ST.board_id == board_id, _ST.author == student.author)
                     .values(rate_start=start, rate_count=count + 1))

    def share_settings(self, code: str, author: str, nickname: str, spec_json: str) -> None:
        """A student offers its scene's settings to the teacher, who may put them on the projector."""
        author, nickname = check.token(author, "author"), self._nick(nickname)
        text = check.canonical_spec(check.spec(spec_json))

        def work(conn: sa.Connection) -> None:
            board = self._live(conn, code, lock=True)
            self._class_row(conn, board.id)
            self._student(conn, board.id, author, nickname, None)
            conn.execute(sa.update(class_students).where(_ST.board_id == board.id, _ST.author == author)
                         .values(settings=text))
            self._bump_class(conn, board.id)
        self._write(work)

    def spotlight_settings(self, code: str) -> PipelineSpec | None:
        """The settings of the student the teacher spotlights (None: no student, or it shared none)."""
        def work(conn: sa.Connection) -> str | None:
            board = self._live(conn, code)
            spot = _state(self._class_row(conn, board.id, need=False)).spotlight
            if spot is None or spot.author is None:
                return None
            return conn.execute(sa.select(_ST.settings).where(_ST.board_id == board.id, _ST.author == spot.author)
                                ).scalar_one_or_none()
        text = self._read(work)
        return None if text is None else PipelineSpec.from_json(text)

    def class_state(self, code: str) -> ClassState:
        """The board's lesson now (ClassState() when it never ran one)."""
        def work(conn: sa.Connection) -> ClassState:
            return _state(self._class_row(conn, self._live(conn, code).id, need=False))
        return self._read(work)

    def answers(self, code: str, scene: int) -> tuple[str, ...]:
        """Every answer to scene, anonymous (no author, no order that tells who): what the histogram draws."""
        index = check.integer(scene, "scene", 0, MAX_SCENES - 1)

        def work(conn: sa.Connection) -> tuple[str, ...]:
            board = self._live(conn, code)
            rows = conn.execute(sa.select(_AN.value).where(_AN.board_id == board.id, _AN.scene == index)
                                .order_by(_AN.value))
            return tuple(r.value for r in rows)
        return self._read(work)

    def my_answer(self, code: str, author: str, scene: int) -> str | None:
        """This tab's own answer to scene, or None."""
        author = check.token(author, "author")
        index = check.integer(scene, "scene", 0, MAX_SCENES - 1)

        def work(conn: sa.Connection) -> str | None:
            board = self._live(conn, code)
            return conn.execute(sa.select(_AN.value).where(_AN.board_id == board.id, _AN.author == author,
                                                           _AN.scene == index)).scalar_one_or_none()
        return self._read(work)

    def roster(self, code: str, key: str) -> tuple[Student, ...]:
        """The teacher's view of the class: every student tab, where it is, which scenes it answered."""
        def work(conn: sa.Connection) -> tuple[Student, ...]:
            board = self._teacher(conn, code, key)
            done: dict[str, set[int]] = {}
            for r in conn.execute(sa.select(_AN.author, _AN.scene).where(_AN.board_id == board.id)):
                done.setdefault(r.author, set()).add(int(r.scene))
            rows = conn.execute(sa.select(class_students).where(_ST.board_id == board.id)
                                .order_by(_ST.nickname, _ST.author))
            return tuple(Student(r.author, r.nickname, int(r.scene), float(r.seen), frozenset(done.get(r.author, ())),
                                 r.settings is not None) for r in rows)
        return self._read(work)

    def present(self, students: tuple[Student, ...], scene: int) -> tuple[Student, ...]:
        """The students seen on scene within PRESENT_S seconds of the store's clock."""
        return present(students, scene, self.clock())


def present(students: tuple[Student, ...], scene: int, now: float) -> tuple[Student, ...]:
    """The students seen on scene within PRESENT_S seconds before now (Unix seconds)."""
    return tuple(s for s in students if s.scene == scene and now - s.seen <= PRESENT_S)


class ClassWatch:
    """Per process: a board's class state read at most once per fresh_s for all its students, and its answers
    read once per revision, so thirty pages polling a class where nothing moved cost one small read a tick."""

    def __init__(self, fresh_s: float = 0.5, clock: Callable[[], float] = time.monotonic, size: int = 512):
        self.fresh_s, self.clock, self.size = fresh_s, clock, size
        self._states: dict[str, tuple[float, ClassState]] = {}
        self._answers: dict[tuple[str, int, int], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def state(self, call: Callable, code: str) -> ClassState:
        now = self.clock()
        with self._lock:
            seen = self._states.get(code)
        if seen is not None and now - seen[0] < self.fresh_s:
            return seen[1]
        state: ClassState = call("class_state", code)
        with self._lock:
            if len(self._states) > self.size:
                self._states.clear()
            self._states[code] = (now, state)
        return state

    def answers(self, call: Callable, code: str, state: ClassState, scene: int) -> tuple[str, ...]:
        slot = (code, state.revision, scene)
        with self._lock:
            found = self._answers.get(slot)
        if found is None:
            found = call("answers", code, scene)
            with self._lock:
                if len(self._answers) > self.size:
                    self._answers.clear()
                self._answers[slot] = found
        return found

    def forget(self, code: object) -> None:
        """This process changed the class: its next read is fresh."""
        with self._lock:
            for asked in [c for c in self._states if isinstance(code, str) and c.upper() == code.upper()]:
                del self._states[asked]

    def clear(self) -> None:
        with self._lock:
            self._states.clear()
            self._answers.clear()
