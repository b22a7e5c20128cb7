"""A lesson run as a class on SQLite and PostgreSQL: pace, reveal, spotlight, presence, answers, rate, restart."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from playground.board import BoardError, Store, db
from playground.board.pace import ANSWER_RATE, ANSWER_WINDOW_S, PRESENT_S, ClassState, ClassWatch, Spotlight
from playground.board.tables import class_answers
from testkit.boarddata import SPEC, sample_entry


@pytest.fixture
def board(store):
    return store.create_board("")


@pytest.fixture
def running(store, board):
    code, key = board
    store.start_lesson(code, key, "convolution", 5)
    return code, key


def err_key(work) -> str:
    with pytest.raises(BoardError) as err:
        work()
    return err.value.key


def test_no_lesson_until_the_teacher_starts_one(store, board):
    code, key = board
    assert store.class_state(code) == ClassState()
    assert err_key(lambda: store.go_to(code, key, 1)) == "lessonclass.no_lesson"
    assert err_key(lambda: store.answer(code, "tab1", "", 0, 3)) == "lessonclass.no_lesson"
    state = store.start_lesson(code, key, "convolution", 5, locks=("augment.angle",))
    assert (state.lesson, state.scenes, state.scene, state.paced, state.locks) == ("convolution", 5, 0, True,
                                                                                    ("augment.angle",))
    assert store.class_state(code) == state


def test_teacher_moves_need_the_key_and_stay_in_range(store, running):
    code, key = running
    assert err_key(lambda: store.go_to(code, "WRONGKEY", 1)) == "board.wrong_key"
    assert err_key(lambda: store.start_lesson(code, "WRONGKEY", "x", 2)) == "board.wrong_key"
    assert err_key(lambda: store.reveal(code, "WRONGKEY", 0)) == "board.wrong_key"
    assert err_key(lambda: store.roster(code, "WRONGKEY")) == "board.wrong_key"
    assert store.class_state(code).scene == 0
    before = store.class_state(code).revision
    assert store.go_to(code, key, 1).scene == 1
    assert store.go_to(code, key, 1).scene == 1  # a double press of Next moves once
    assert store.class_state(code).revision == before + 2
    assert err_key(lambda: store.go_to(code, key, 5)) == "board.bad_number"
    assert err_key(lambda: store.go_to(code, key, -1)) == "board.bad_number"
    assert err_key(lambda: store.start_lesson(code, key, "Not A Lesson!", 3)) == "lessonclass.bad_lesson"
    assert err_key(lambda: store.start_lesson(code, key, "ok", 3, locks=("nonsense",))) == "board.bad_field"
    assert store.set_paced(code, key, False).paced is False
    assert store.reveal(code, key, 2).revealed == {2}
    assert store.reveal(code, key, 2, revealed=False).revealed == frozenset()
    assert store.stop_lesson(code, key).running is False


def test_paced_students_cannot_answer_ahead_self_paced_may(store, running):
    code, key = running
    assert err_key(lambda: store.answer(code, "tab1", "Ann", 2, 4)) == "lessonclass.not_yet"
    store.set_paced(code, key, False)
    assert store.answer(code, "tab1", "Ann", 2, 4) == "4"
    state = store.class_state(code)
    assert state.may_show(4) and not state.may_show(5)


def test_one_answer_per_student_per_scene_and_anonymous_counts(store, running, engine):
    code, key = running
    assert store.answer(code, "tab1", "Ann", 0, 3) == "3"
    assert store.answer(code, "tab1", "Ann", 0, 2.5) == "2.5"  # replaces
    assert store.answer(code, "tab2", "Bo", 0, 3.0) == "3"
    assert store.answer(code, "tab3", "", 0, -1) == "-1"
    assert sorted(store.answers(code, 0)) == ["-1", "2.5", "3"]
    assert store.my_answer(code, "tab1", 0) == "2.5"
    assert store.my_answer(code, "tab9", 0) is None
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(class_answers)).scalar_one() == 3
    roster = {s.author: s for s in store.roster(code, key)}
    assert roster["tab1"].nickname == "Ann" and roster["tab1"].answered == {0}
    assert roster["tab3"].nickname == ""


@pytest.mark.parametrize("value,choices,key", [
    (float("nan"), None, "lessonclass.bad_number"), (float("inf"), None, "lessonclass.bad_number"),
    ("3", None, "lessonclass.bad_number"), (True, None, "lessonclass.bad_number"), (1e13, None, "lessonclass.bad_number"),
    ("d", ("a", "b", "c"), "lessonclass.bad_choice"), (1, ("a", "b"), "lessonclass.bad_choice"),
])
def test_malformed_answers_are_refused(store, running, value, choices, key):
    code, _ = running
    assert err_key(lambda: store.answer(code, "tab1", "Ann", 0, value, choices)) == key
    assert store.answers(code, 0) == ()


def test_choices_and_revealed_scenes(store, running):
    code, key = running
    assert store.answer(code, "tab1", "Ann", 0, "b", ("a", "b", "c")) == "b"
    store.reveal(code, key, 0)
    assert err_key(lambda: store.answer(code, "tab2", "Bo", 0, "a", ("a", "b", "c"))) == "lessonclass.revealed"
    assert store.answers(code, 0) == ("b",)


def test_answer_rate_per_tab(store, running, clock):
    code, _ = running
    for i in range(ANSWER_RATE):
        store.answer(code, "tab1", "Ann", 0, i)
    assert err_key(lambda: store.answer(code, "tab1", "Ann", 0, 99)) == "lessonclass.too_fast"
    assert store.answer(code, "tab2", "Bo", 0, 99) == "99"  # another tab is not slowed
    clock.now += ANSWER_WINDOW_S
    assert store.answer(code, "tab1", "Ann", 0, 99) == "99"


def test_presence_counts_students_on_a_scene(store, running, clock):
    code, key = running
    before = store.class_state(code).revision
    store.seen(code, "tab1", "Ann", 0)
    store.seen(code, "tab2", "Bo", 0)
    store.seen(code, "tab3", "Cy", 0)
    moved = store.class_state(code).revision
    assert moved == before + 3
    store.seen(code, "tab1", "Ann", 0)  # a heartbeat on the same scene moves nothing
    assert store.class_state(code).revision == moved
    clock.now += PRESENT_S / 2
    store.seen(code, "tab1", "Ann", 0)
    store.seen(code, "tab2", "Bo", 0)
    clock.now += PRESENT_S / 2 + 1
    roster = store.roster(code, key)
    assert {s.author for s in store.present(roster, 0)} == {"tab1", "tab2"}  # tab3 left
    assert err_key(lambda: store.seen(code, "tab1", "Ann", 9)) == "board.bad_number"


def test_spotlight_a_run_or_a_student(store, running):
    code, key = running
    entry = store.publish(code, "Ann", sample_entry(1))
    state = store.set_spotlight(code, key, Spotlight(entry=entry.id))
    assert state.spotlight == Spotlight(entry=entry.id)
    assert err_key(lambda: store.set_spotlight(code, key, Spotlight(entry=entry.id + 100))) == "board.unknown_entry"
    assert err_key(lambda: store.set_spotlight(code, key, Spotlight(author="ghost", scene=0))) == \
        "lessonclass.unknown_student"
    store.seen(code, "tab1", "Ann", 0)
    state = store.set_spotlight(code, key, Spotlight(author="tab1", scene=0))
    assert state.spotlight == Spotlight(author="tab1", nickname="Ann", scene=0)
    assert store.go_to(code, key, 1).spotlight is None  # moving on takes the spotlight down
    assert store.set_spotlight(code, key, None).spotlight is None
    assert err_key(lambda: store.set_spotlight(code, "WRONGKEY", None)) == "board.wrong_key"


def test_a_new_start_clears_answers(store, running):
    code, key = running
    store.answer(code, "tab1", "Ann", 0, 1)
    store.start_lesson(code, key, "pooling", 3)
    assert store.answers(code, 0) == ()
    assert store.class_state(code).lesson == "pooling"


def test_class_survives_a_new_store_on_the_same_database(running, db_url, clock):
    """A restarted server opens a new engine: the class keeps its scene, pace, reveals and answers."""
    code, key = running
    first = Store(db.make_engine(db_url), clock=clock)
    first.go_to(code, key, 3)
    first.set_paced(code, key, False)
    first.reveal(code, key, 1)
    first.answer(code, "tab1", "Ann", 3, 7)
    first.engine.dispose()
    again = Store(db.make_engine(db_url), clock=clock)
    state = again.class_state(code)
    assert (state.scene, state.paced, state.revealed) == (3, False, {1})
    assert again.answers(code, 3) == ("7",)
    again.engine.dispose()


def test_thirty_students_answer_at_once(store, running):
    code, _ = running
    errors: list[BaseException] = []

    def student(i: int) -> None:
        try:
            store.answer(code, f"tab{i}", f"S{i}", 0, i % 4)
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)
    threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(store.answers(code, 0)) == sorted(str(i % 4) for i in range(30))


def test_expired_board_purges_its_class(store, running, clock, engine):
    code, _ = running
    store.answer(code, "tab1", "Ann", 0, 1)
    clock.now += 400 * 86400
    store.purge_expired()
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(class_answers)).scalar_one() == 0


def test_watch_reads_answers_once_per_revision(store, running):
    code, key = running
    calls: list[str] = []

    def call(method, *args, **kwargs):
        calls.append(method)
        return getattr(store, method)(*args, **kwargs)
    now = [0.0]
    watch = ClassWatch(fresh_s=1.0, clock=lambda: now[0])
    state = watch.state(call, code)
    assert watch.answers(call, code, state, 0) == ()
    watch.state(call, code)
    watch.answers(call, code, state, 0)
    assert calls == ["class_state", "answers"]
    store.answer(code, "tab1", "Ann", 0, 2)
    now[0] += 1.0
    state = watch.state(call, code)
    assert watch.answers(call, code, state, 0) == ("2",)
    assert calls == ["class_state", "answers", "class_state", "answers"]


def test_shape_answers_and_shared_settings_in_the_spotlight(store, running):
    code, key = running
    assert store.answer(code, "tab1", "Ann", 0, (16, 16)) == "16,16"
    assert err_key(lambda: store.answer(code, "tab1", "Ann", 0, (16.5, 2))) == "lessonclass.bad_number"
    spec = SPEC.set("augment.angle", 45.0)
    store.share_settings(code, "tab1", "Ann", spec.to_json())
    assert err_key(lambda: store.share_settings(code, "tab1", "Ann", "{not json")) != ""
    assert store.spotlight_settings(code) is None
    assert [s.shared for s in store.roster(code, key)] == [True]
    store.set_spotlight(code, key, Spotlight(author="tab1", scene=0))
    assert store.spotlight_settings(code) == spec
