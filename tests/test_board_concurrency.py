"""Many writers at once on SQLite and PostgreSQL: no lost entry, no "database is locked", shared between engines."""
from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from playground.board import Store, ensure_schema
from playground.board import db as board_db
from testkit.boarddata import SPEC, sample_entry
from testkit.server import REPO_ROOT

STUDENTS = 30


@pytest.fixture
def store(engine):
    ensure_schema(engine)
    return Store(engine)


def all_at_once(count: int, work: Callable[[int], object]) -> tuple[list, list]:
    """Run work(i) in count threads released together by a barrier; return (results, errors)."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def one(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as err:  # collected: the assertion shows every failure
            errors.append(repr(err))
    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_thirty_students_publish_in_the_same_second(store):
    code, _ = store.create_board()
    results, errors = all_at_once(STUDENTS, lambda i: store.publish(code, f"student {i}", sample_entry(i)))
    assert errors == []
    assert len({e.id for e in results}) == STUDENTS
    stored = store.entries(code)
    assert sorted(e.nickname for e in stored) == sorted(f"student {i}" for i in range(STUDENTS))
    assert {e.nickname: e.params for e in stored} == {f"student {i}": 1000 + 10 * i for i in range(STUDENTS)}


def test_thirty_students_publish_five_runs_each(store):
    code, _ = store.create_board()
    _, errors = all_at_once(STUDENTS, lambda i: [store.publish(code, f"s{i}", sample_entry(k)) for k in range(5)])
    assert errors == [] and len(store.entries(code)) == 5 * STUDENTS


def test_counts_and_links_under_contention(store):
    code, _ = store.create_board()
    _, errors = all_at_once(STUDENTS, lambda i: [store.record_check(code, "steps.a", (i + k) % 2 == 0)
                                                 for k in range(4)])
    assert errors == []
    [count] = store.counts(code)
    assert (count.attempts, count.correct) == (4 * STUDENTS, 2 * STUDENTS)
    links, errors = all_at_once(STUDENTS, lambda i: store.store_spec(SPEC.to_json()))
    assert errors == [] and len(set(links)) == 1
    boards, errors = all_at_once(STUDENTS, lambda i: store.create_board()[0])
    assert errors == [] and len(set(boards)) == STUDENTS


def test_two_engines_share_one_board(db_url, store):
    """Two engines on one URL stand for two app processes behind nginx."""
    other = Store(board_db.make_engine(db_url))
    try:
        code, key = store.create_board()
        mine = store.publish(code, "Ann", sample_entry(1))
        assert [e.id for e in other.entries(code)] == [mine.id]
        other.hide(code, key, mine.id)
        assert store.entries(code) == []
        pair = (store, other)
        _, errors = all_at_once(STUDENTS, lambda i: pair[i % 2].publish(code, f"s{i}", sample_entry(i)))
        assert errors == []
        assert len(store.entries(code)) == len(other.entries(code)) == STUDENTS
    finally:
        other.engine.dispose()


_PUBLISHER = """
import sys
from playground.board import db, open_store
from testkit.boarddata import sample_entry
store = open_store(db.make_engine(sys.argv[1]))
for i in range(20):
    store.publish(sys.argv[2], f"{sys.argv[3]}-{i}", sample_entry(i))
print("ok")
"""


def test_two_processes_publish_to_one_board(db_url, store):
    code, _ = store.create_board()
    procs = [subprocess.Popen([sys.executable, "-c", _PUBLISHER, db_url, code, name], cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("p1", "p2")]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-800:] for _, err in outs]
    assert sorted(e.nickname for e in store.entries(code)) == sorted(f"{p}-{i}" for p in ("p1", "p2") for i in range(20))
