"""The board store on SQLite and PostgreSQL: boards, expiry, publishing, sorting, teacher operations, links, counts."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlalchemy as sa

from playground.board import BoardError, Challenge
from playground.board.codes import ALPHABET, CODE_LENGTH, KEY_LENGTH
from playground.board.tables import boards, entries
from testkit.boarddata import SPEC, sample_entry

DAY = 86400.0


@pytest.fixture
def board(store):
    """(code, key) of a fresh board."""
    return store.create_board("normalize")


def key_of(err) -> str:
    return err.value.key


def test_create_board_gives_a_long_code_and_a_longer_key(store, engine):
    code, key = store.create_board()
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert len(key) == KEY_LENGTH and set(key) <= set(ALPHABET) and key != code
    with engine.connect() as conn:
        row = conn.execute(sa.select(boards)).one()
    assert key not in "".join(str(v) for v in row)  # only its hash is stored
    assert len({store.create_board()[0] for _ in range(20)}) == 20


def test_board_info_and_code_typed_loosely(store, board, clock):
    code, _ = board
    info = store.board(f" {code[:5].lower()}-{code[5:]} ")
    assert info.code == code and info.lesson == "normalize" and not info.closed and not info.challenge.active
    assert (info.expires - info.created).total_seconds() == 14 * DAY
    assert info.created.timestamp() == clock.now


@pytest.mark.parametrize("bad", ["", "ABC", "ABCDEFGHJK1", "ABCDEFGHJ0", None, 12345, "A" * 5000])
def test_malformed_codes_are_refused(store, bad):
    with pytest.raises(BoardError) as err:
        store.board(bad)
    assert key_of(err) == "board.bad_code"


def test_unknown_code(store, board):
    with pytest.raises(BoardError) as err:
        store.board("ZZZZZZZZZZ")
    assert key_of(err) == "board.unknown"


def test_expired_board_is_unknown_to_every_call_and_purged(store, board, clock, engine):
    code, key = board
    store.publish(code, "Ann", sample_entry())
    store.record_check(code, "x", True)
    clock.now += 14 * DAY
    calls = [lambda: store.board(code), lambda: store.publish(code, "Bo", sample_entry()),
             lambda: store.entries(code), lambda: store.ranking(code), lambda: store.hide(code, key, 1),
             lambda: store.set_challenge(code, key, None), lambda: store.close(code, key),
             lambda: store.export_csv(code, key), lambda: store.record_check(code, "x", True),
             lambda: store.counts(code), lambda: store.teacher_board(code, key)]
    for call in calls:
        with pytest.raises(BoardError) as err:
            call()
        assert key_of(err) == "board.unknown"
    live, _ = store.create_board()
    assert store.purge_expired() == 1
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one() == 0
        assert conn.execute(sa.select(boards.c.code)).scalars().all() == [live]


def test_board_days_argument_and_environment(store, clock, monkeypatch):
    code, _ = store.create_board(days=1)
    clock.now += DAY - 1
    store.board(code)
    clock.now += 1
    with pytest.raises(BoardError):
        store.board(code)
    monkeypatch.setenv("PLAYGROUND_BOARD_DAYS", "3")
    info = store.board(store.create_board()[0])
    assert (info.expires - info.created).total_seconds() == 3 * DAY
    for bad in (0, 366, True, "3", 2.5):
        with pytest.raises(BoardError) as err:
            store.create_board(days=bad)
        assert key_of(err) == "board.bad_days"


def test_unknown_lesson_refused(store):
    with pytest.raises(BoardError) as err:
        store.create_board("no_such_lesson")
    assert key_of(err) == "board.bad_lesson"


def test_publish_stores_a_clean_downsampled_entry(store, board, clock):
    code, _ = board
    e = store.publish(code, "  Ann  ", sample_entry(2, lesson="normalize"))
    assert e.nickname == "Ann" and e.lesson == "normalize" and e.dataset == "digits" and not e.hidden
    assert (e.params, e.epochs, e.seconds, e.val_acc) == (1020, 6, 12.0, 0.52)
    assert len(e.curve) == 100 and e.curve[0] == 2.3 and e.created.timestamp() == clock.now
    assert e.spec() == SPEC.set("train.seed", 2)
    assert store.entries(code) == [e]


def test_sorting_and_filters(store, board, clock):
    code, _ = board
    runs = {"A": dict(val_acc=0.7, seconds=30.0, params=5000), "B": dict(val_acc=0.9, seconds=50.0, params=9000),
            "C": dict(val_acc=0.8, seconds=10.0, params=2000, lesson="high_lr")}
    for nick, fields in runs.items():
        clock.now += 1
        store.publish(code, nick, sample_entry(**fields))
    shapes = sample_entry(dataset="shapes", spec_json=SPEC.set("train.dataset", "shapes").to_json())
    clock.now += 1
    store.publish(code, "D", shapes)
    names = {s: [e.nickname for e in store.entries(code, sort=s)] for s in ("acc", "time", "params", "new")}
    assert names["acc"][:3] == ["B", "C", "A"] and names["new"] == ["D", "C", "B", "A"]
    assert names["time"][0] == "C" and names["params"][0] == "D"
    assert [e.nickname for e in store.entries(code, dataset="shapes")] == ["D"]
    assert [e.nickname for e in store.entries(code, lesson="high_lr")] == ["C"]
    for bad in (dict(sort="name"), dict(dataset="cifar10"), dict(lesson="nope")):
        with pytest.raises(BoardError):
            store.entries(code, **bad)


def test_hide_unhide_and_hidden_entries_need_the_key(store, board):
    code, key = board
    a = store.publish(code, "Ann", sample_entry(1))
    b = store.publish(code, "Bo", sample_entry(2))
    store.hide(code, key, a.id)
    assert [e.id for e in store.entries(code)] == [b.id] and [e.id for e in store.ranking(code)] == [b.id]
    teacher_view = store.entries(code, include_hidden=True, key=key)
    assert {(e.id, e.hidden) for e in teacher_view} == {(a.id, True), (b.id, False)}
    with pytest.raises(BoardError) as err:
        store.entries(code, include_hidden=True)
    assert key_of(err) == "board.wrong_key"
    store.unhide(code, key, a.id)
    assert {e.id for e in store.entries(code)} == {a.id, b.id}


def test_delete_entry_only_on_its_own_board(store, board):
    code, key = board
    other, other_key = store.create_board()
    mine = store.publish(code, "Ann", sample_entry())
    theirs = store.publish(other, "Bo", sample_entry())
    with pytest.raises(BoardError) as err:
        store.delete_entry(code, key, theirs.id)
    assert key_of(err) == "board.unknown_entry"
    store.delete_entry(code, key, mine.id)
    assert store.entries(code) == [] and store.entries(other) == [theirs]
    with pytest.raises(BoardError) as err:
        store.delete_entry(code, key, mine.id)
    assert key_of(err) == "board.unknown_entry"


def test_wrong_teacher_key_is_refused_and_changes_nothing(store, board):
    code, key = board
    _, other_key = store.create_board()
    e = store.publish(code, "Ann", sample_entry())
    wrong = [other_key, key[:-1], key + "2", "", None, 12, "x" * 10_000, key.lower()[:-1] + "\u0000"]
    ops = [lambda k: store.hide(code, k, e.id), lambda k: store.delete_entry(code, k, e.id),
           lambda k: store.set_challenge(code, k, Challenge(max_params=10)), lambda k: store.close(code, k),
           lambda k: store.export_csv(code, k), lambda k: store.teacher_board(code, k)]
    for k in wrong:
        for op in ops:
            with pytest.raises(BoardError) as err:
                op(k)
            assert key_of(err) == "board.wrong_key"
    assert store.entries(code) == [e] and not store.board(code).closed and not store.board(code).challenge.active
    assert store.teacher_board(code, f" {key.lower()} ").code == code  # typed loosely, still the key


def test_challenge_ranking(store, board, clock):
    code, key = board
    for nick, fields in [("big", dict(params=9000, val_acc=0.99)), ("ok", dict(params=4000, val_acc=0.8)),
                         ("OK", dict(params=3000, val_acc=0.9)), ("long", dict(epochs=12, val_acc=0.95)),
                         ("small", dict(params=1200, val_acc=0.85))]:
        clock.now += 1
        store.publish(code, nick, sample_entry(**fields))
    info = store.set_challenge(code, key, Challenge(max_params=5000, dataset="digits", max_epochs=6))
    assert info.challenge == Challenge(5000, "digits", 6) == store.board(code).challenge
    assert [e.nickname for e in store.ranking(code)] == ["OK", "small"]  # "ok" is OK's worse run
    assert [e.nickname for e in store.ranking(code, best_only=False)] == ["OK", "small", "ok"]
    store.set_challenge(code, key, None)
    assert [e.nickname for e in store.ranking(code)][:2] == ["big", "long"]
    for bad in (Challenge(max_params=0), Challenge(dataset="cifar10"), Challenge(max_epochs=99), {"max_params": 5}):
        with pytest.raises(BoardError):
            store.set_challenge(code, key, bad)


def test_closed_board_refuses_entries_but_stays_readable(store, board):
    code, key = board
    e = store.publish(code, "Ann", sample_entry())
    assert store.close(code, key).closed
    for call in (lambda: store.publish(code, "Bo", sample_entry()), lambda: store.record_check(code, "x", True)):
        with pytest.raises(BoardError) as err:
            call()
        assert key_of(err) == "board.closed"
    assert store.entries(code) == [e] and store.board(code).closed
    store.close(code, key, closed=False)
    store.publish(code, "Bo", sample_entry())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv_export_cannot_inject_formulas(store, board, lang):
    code, key = board
    nasty = ["=1+2", "+SUM(A1:A9)", "-2+3", "@cmd", "\uff1dHYPERLINK(1)", "Ann", "a=b"]
    for i, nick in enumerate(nasty):
        store.publish(code, nick, sample_entry(i, stack="=cmd|' /C calc'!A0" if i == 0 else "Conv2d"))
    store.hide(code, key, 1)
    rows = list(csv.reader(io.StringIO(store.export_csv(code, key, lang))))
    header, body = rows[0], rows[1:]
    assert len(header) == 13 and len(body) == len(nasty)
    names = [r[header.index(t_header(lang, "nickname"))] for r in body]
    assert names == ["'=1+2", "'+SUM(A1:A9)", "'-2+3", "'@cmd", "'\uff1dHYPERLINK(1)", "Ann", "a=b"]
    assert body[0][header.index(t_header(lang, "stack"))].startswith("'=")
    assert [r[header.index(t_header(lang, "hidden"))] for r in body] == ["1"] + ["0"] * 6
    cells = [c for r in body for c in r]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


SPLIT_OR_HIDDEN = ["x;=cmd|' /C calc'!A0", "a,=1+2", "b|@SUM(1)", "\u200b=1+2", "\ufeff+3", " \u2060-4", "ok; fine"]


def spreadsheet_cells(line: str, separator: str) -> list[str]:
    """Cells as a spreadsheet in a locale with this separator reads them: quotes toggle, separators split outside."""
    cells, cell, quoted = [], "", False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == separator and not quoted:
            cells, cell = [*cells, cell], ""
        else:
            cell += ch
    return [*cells, cell]


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_csv_cells_stay_text_in_any_locale_and_behind_invisible_characters(store, board, separator):
    code, key = board
    for i, nick in enumerate(SPLIT_OR_HIDDEN):
        store.publish(code, nick, sample_entry(i))
    lines = store.export_csv(code, key, "en").splitlines()[1:]
    for cell in (c for line in lines for c in spreadsheet_cells(line, separator)):
        shown = cell.lstrip(" \u200b\ufeff\u2060")
        assert cell.startswith("'") or not shown.startswith(("=", "+", "-", "@", "\uff1d")), cell
    names = [r[2] for r in csv.reader(io.StringIO("\n".join(lines)))]
    assert names[-1] == "ok; fine" and all(n.startswith("'") for n in names[:-1]), names


def t_header(lang: str, column: str) -> str:
    from playground.i18n import t
    return t(f"board.csv.{column}", lang)


def test_short_links(store, clock):
    spec = SPEC.set("train.lr", 0.01)
    code = store.store_spec(spec.to_json())
    assert store.store_spec(json.dumps(spec.to_dict())) == code  # the same spec, written differently
    assert store.load_spec(code.lower()) == spec
    other = store.store_spec(SPEC.to_json())
    assert other != code and store.load_spec(other) == SPEC
    for bad in ("ZZZZZZZZZZ", "short", None):
        with pytest.raises(BoardError) as err:
            store.load_spec(bad)
        assert key_of(err) == "board.unknown_link"
    with pytest.raises(BoardError) as err:
        store.store_spec('{"net": {"layers": [{"kind": "rm -rf"}]}}')
    assert key_of(err) == "board.bad_spec"
    clock.now += 364 * DAY
    assert store.store_spec(spec.to_json()) == code  # storing again restarts its life
    clock.now += 2 * DAY
    assert store.load_spec(code) == spec
    with pytest.raises(BoardError):
        store.load_spec(other)  # 366 days old


def test_exercise_counts_have_no_names(store, board, engine):
    code, _ = board
    for correct in (True, False, True):
        store.record_check(code, "steps.conv_out", correct)
    store.record_check(code, "layers.shape", False)
    assert [(c.exercise, c.attempts, c.correct) for c in store.counts(code)] == [
        ("layers.shape", 1, 0), ("steps.conv_out", 3, 2)]
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_columns("checks")[i]["name"] for i in range(4)) == {
            "board_id", "exercise", "attempts", "correct"}
    for bad in ("", "Has Space", "x" * 65, None, "<b>"):
        with pytest.raises(BoardError) as err:
            store.record_check(code, bad, True)
        assert key_of(err) == "board.bad_exercise"
    with pytest.raises(BoardError):
        store.record_check(code, "ok", 1)
