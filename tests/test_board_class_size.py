"""The board at class size, on SQLite and PostgreSQL: one entry per run, a publishing rate, bulk moderation
with the teacher key checked by the store, and watchers whose reads do not grow with the board."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from playground.board import BoardError, Store
from playground.board.entries import RATE_COUNT, RATE_WINDOW_S
from playground.board.watch import PAGE_SIZE, View, Watch
from testkit.boarddata import Clock, sample_entry


def fill(store: Store, clock: Clock, code: str, count: int, start: int = 0) -> None:
    """count entries under as many nicknames (the rate limits one nickname, not a class)."""
    for i in range(start, start + count):
        clock.now += 0.01
        store.publish(code, f"student {i}", sample_entry(i), run_id=f"run-{i}")


def test_replaying_publish_a_hundred_times_makes_one_entry(store):
    code, _ = store.create_board()
    first = store.publish(code, "Ann", sample_entry(1), run_id="r1")
    again = [store.publish(code, nick, sample_entry(1), run_id="r1") for nick in ["Ann"] * 50 + ["Bob"] * 49]
    assert {e.id for e in again} == {first.id} and {e.nickname for e in again} == {"Ann"}
    assert [e.id for e in store.entries(code)] == [first.id]
    assert store.board(code).revision == 1  # a replay changes nothing, so watchers re-read nothing


def test_replays_at_the_same_moment_make_one_entry(store):
    code, _ = store.create_board()
    barrier, got, errors = threading.Barrier(20), [], []

    def replay():
        barrier.wait()
        try:
            got.extend(store.publish(code, "Ann", sample_entry(2), run_id="same-run") for _ in range(5))
        except BoardError as err:
            errors.append(err.key)
    threads = [threading.Thread(target=replay) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(got) == 100 and len({e.id for e in got}) == 1
    assert len(store.entries(code)) == 1


def test_without_a_run_id_the_same_entry_is_one_run(store):
    code, _ = store.create_board()
    for _ in range(100):
        store.publish(code, "Ann", sample_entry(3))
    assert len(store.entries(code)) == 1
    store.publish(code, "Bo", sample_entry(3))  # another student's identical numbers: another run
    assert len(store.entries(code)) == 2


def test_the_unique_index_holds_even_past_the_store(store, engine):
    code, _ = store.create_board()
    e = store.publish(code, "Ann", sample_entry(4), run_id="only-once")
    with engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(sa.text("INSERT INTO entries (board_id, nickname, created, lesson, dataset, stack, params,"
                             " epochs, seconds, val_acc, curve, spec, hidden, run_id) SELECT board_id, 'x', created,"
                             " lesson, dataset, stack, params, epochs, seconds, val_acc, curve, spec, hidden, run_id"
                             " FROM entries WHERE id = :id"), {"id": e.id})
    assert len(store.entries(code)) == 1


def test_publishing_rate_per_nickname_and_per_tab_loses_nothing(store, clock):
    code, _ = store.create_board()
    for i in range(RATE_COUNT):
        clock.now += 1
        store.publish(code, "Ann", sample_entry(i), run_id=f"a{i}", author="tab-1")
    for nick, author in (("Ann", "tab-2"), ("Ann2", "tab-1")):  # the same name elsewhere, another name here
        with pytest.raises(BoardError) as err:
            store.publish(code, nick, sample_entry(9), run_id="late", author=author)
        assert err.value.key == "board.too_fast"
        assert err.value.params["n"] == RATE_COUNT and err.value.params["seconds"] == RATE_WINDOW_S - RATE_COUNT + 1
    store.publish(code, "Cy", sample_entry(20), run_id="c0", author="tab-3")  # others are not held up
    clock.now += RATE_WINDOW_S - RATE_COUNT + 1  # the oldest of Ann's five is a window old now
    late = store.publish(code, "Ann", sample_entry(9), run_id="late", author="tab-1")  # the refused run goes in
    assert late.nickname == "Ann" and len(store.entries(code)) == RATE_COUNT + 2


@pytest.mark.parametrize("bad", ["", "x" * 65, "has space", "<b>", 12])
def test_malformed_run_ids_are_refused(store, bad):
    code, _ = store.create_board()
    with pytest.raises(BoardError) as err:
        store.publish(code, "Ann", sample_entry(), run_id=bad)
    assert err.value.key == "board.bad_field"


def test_bulk_moderation_by_nickname_and_by_ids_needs_the_key(store, clock):
    code, key = store.create_board()
    other, other_key = store.create_board()
    flood = []
    for i in range(RATE_COUNT):
        clock.now += 1
        flood.append(store.publish(code, "spam", sample_entry(i), run_id=f"s{i}").id)
    honest = [store.publish(code, f"kid {i}", sample_entry(10 + i), run_id=f"k{i}").id for i in range(3)]
    theirs = store.publish(other, "spam", sample_entry(30), run_id="t").id
    wrong = [other_key, "", None, key[:-1], "x" * 5000]
    ops = [lambda k: store.hide_nickname(code, k, "spam"), lambda k: store.delete_nickname(code, k, "spam"),
           lambda k: store.hide_many(code, k, honest), lambda k: store.delete_many(code, k, honest)]
    for k in wrong:
        for op in ops:
            with pytest.raises(BoardError) as err:
                op(k)
            assert err.value.key == "board.wrong_key"
    assert len(store.entries(code)) == RATE_COUNT + 3 and store.board(code).revision == RATE_COUNT + 3
    assert store.hide_nickname(code, key, " spam ") == RATE_COUNT  # typed as a nickname is cleaned
    assert sorted(e.id for e in store.entries(code)) == honest
    assert store.hide_nickname(code, key, "spam", hidden=False) == RATE_COUNT
    assert store.delete_nickname(code, key, "spam") == RATE_COUNT
    assert store.hide_many(code, key, honest[:2] + [theirs]) == 2  # another board's entry is not touched
    assert [e.id for e in store.entries(code)] == honest[2:]
    assert store.delete_many(code, key, honest + [theirs]) == 3
    assert store.entries(code) == [] and [e.id for e in store.entries(other)] == [theirs]
    for op in (lambda: store.delete_nickname(code, key, "spam"), lambda: store.delete_many(code, key, [theirs])):
        with pytest.raises(BoardError) as err:
            op()
        assert err.value.key == "board.none_matched"
    for bad in ([], "12", [0], [True], list(range(1, 2003))):
        with pytest.raises(BoardError):
            store.hide_many(code, key, bad)


def test_page_is_bounded_and_counts_every_match(store, clock):
    code, key = store.create_board()
    fill(store, clock, code, 120)
    page = store.page(code, sort="new", limit=PAGE_SIZE, offset=100)
    assert page.total == 120 and [e.nickname for e in page.entries] == [f"student {i}" for i in range(19, -1, -1)]
    assert store.page(code, sort="acc", limit=PAGE_SIZE).entries == tuple(store.entries(code, sort="acc")[:PAGE_SIZE])
    with pytest.raises(BoardError):
        store.page(code, limit=10_000)
    with pytest.raises(BoardError):
        store.page(code, include_hidden=True, key="WRONG")


class Statements:
    """Every SQL statement an engine runs (and the entries rows they may read: statements FROM entries)."""

    def __init__(self, engine: sa.Engine):
        self.seen: list[str] = []
        event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, _conn, _cursor, statement, _params, _context, _many):
        self.seen.append(" ".join(statement.split()).lower())

    def take(self) -> list[str]:
        seen, self.seen = self.seen, []
        return seen


def _tick(watch: Watch, store: Store, code: str, view: View, key: str | None = None):
    return watch.read(lambda method, *a, **kw: getattr(store, method)(*a, **kw), code, view, key)


@pytest.mark.parametrize("teacher", [False, True])
def test_a_watchers_tick_reads_the_same_whatever_the_board_holds(store, clock, engine, teacher):
    counted = Statements(engine)
    per_size = {}
    for size in (10, 400):
        code, key = store.create_board()
        fill(store, clock, code, size)
        store.set_challenge(code, key, None)
        watch, view, k = Watch(fresh_s=0), View(sort="acc"), key if teacher else None
        counted.take()
        first = _tick(watch, store, code, view, k)
        changed = counted.take()
        assert len(first.page.entries) == min(size, PAGE_SIZE) and first.page.total == size
        ticks = [counted.take() for _ in range(5) if _tick(watch, store, code, view, k) == first]
        assert len(ticks) == 5, "nothing changed: the same snapshot"
        assert all(not any("from entries" in s for s in tick) for tick in ticks), "no entry is read again"
        per_size[size] = ([len(t) for t in ticks], len(changed))
        clock.now += 100
        store.publish(code, "late", sample_entry(999), run_id="late")
        counted.take()
        after = _tick(watch, store, code, view, k)
        assert after.page.total == size + 1 and any("from entries" in s for s in counted.take())
    assert per_size[10] == per_size[400], per_size  # statements per tick, and per re-read, do not grow


def test_the_ranking_is_top_n_in_the_database(store, clock):
    from playground.board import Challenge

    code, key = store.create_board()
    for i in range(30):
        clock.now += 1
        store.publish(code, ["Ann", "ann", "Bo"][i % 3] if i < 12 else f"kid {i}", sample_entry(i), run_id=f"r{i}")
    store.set_challenge(code, key, Challenge(max_params=1250))
    full = store.ranking(code)
    assert [e.nickname.lower() for e in full].count("ann") == 1 and all(e.params <= 1250 for e in full)
    assert store.ranking(code, limit=5) == full[:5]
    assert [e.val_acc for e in full] == sorted((e.val_acc for e in full), reverse=True)


def test_watchers_of_one_process_share_a_board_read(store, clock, engine):
    code, _ = store.create_board()
    fill(store, clock, code, 60)
    counted, ticks = Statements(engine), Clock(100.0)
    watch = Watch(fresh_s=0.5, clock=ticks)
    view = View()
    _tick(watch, store, code, view)
    counted.take()
    for _ in range(30):  # thirty watchers' ticks within half a second
        ticks.now += 0.01
        _tick(watch, store, code, view)
    assert counted.take() == []
    ticks.now += 0.5
    _tick(watch, store, code, view)
    assert len(counted.take()) >= 1 and not any("from entries" in s for s in counted.take())
