"""Alembic migrations of the board: from an empty database, from revision 0001 with data, from many processes."""
from __future__ import annotations

import json
import subprocess
import sys

import sqlalchemy as sa

from playground.board import ensure_schema, open_store
from playground.board.migrate import current_revision, head_revision, upgrade
from testkit.boarddata import sample_entry
from testkit.server import REPO_ROOT

TABLES = {"boards", "entries", "links", "checks", "classes", "class_students", "class_answers", "alembic_version"}
HEAD = "0004"


def table_names(engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_head_is_the_newest_revision():
    assert head_revision() == HEAD


def test_empty_database_is_migrated_to_head(engine):
    assert current_revision(engine) is None
    ensure_schema(engine)
    assert current_revision(engine) == HEAD
    assert table_names(engine) >= TABLES
    ensure_schema(engine)  # a second start changes nothing
    assert current_revision(engine) == HEAD


def _old_board(conn) -> int:
    """A board and two entries written the way revision 0001's schema holds them."""
    board = {"code": "ABCDEFGHJK", "key_hash": "0" * 64, "lesson": "", "created": 1.0e9, "expires": 4.0e9,
             "closed": False}
    conn.execute(sa.text("INSERT INTO boards (code, key_hash, lesson, created, expires, closed) "
                         "VALUES (:code, :key_hash, :lesson, :created, :expires, :closed)"), board)
    board_id = conn.execute(sa.text("SELECT id FROM boards WHERE code = 'ABCDEFGHJK'")).scalar_one()
    e = sample_entry(3)
    for nick in ("Ann", "Bo"):
        conn.execute(sa.text(
            "INSERT INTO entries (board_id, nickname, created, lesson, dataset, stack, params, epochs, seconds,"
            " val_acc, curve, spec, hidden) VALUES (:b, :n, 1.1e9, '', 'digits', :s, :p, 6, 9.5, 0.8, :c, :j, :h)"),
            {"b": board_id, "n": nick, "s": e.stack, "p": e.params, "c": json.dumps([2.0, 1.0]), "j": e.spec_json,
             "h": nick == "Bo"})
    return board_id


def test_upgrade_from_0001_keeps_boards_and_entries(engine):
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "links" not in table_names(engine)
    with engine.begin() as conn:
        _old_board(conn)
    store = open_store(engine)
    assert current_revision(engine) == HEAD
    board = store.board("abcde-fghjk")
    assert not board.challenge.active and board.lesson == ""
    shown = store.entries("ABCDEFGHJK")
    assert [e.nickname for e in shown] == ["Ann"] and shown[0].curve == (2.0, 1.0) and shown[0].params == 1030
    assert shown[0].spec().train.seed == 3
    # what 0002 added works on the old board
    store.record_check("ABCDEFGHJK", "steps.conv", True)
    assert [(c.attempts, c.correct) for c in store.counts("ABCDEFGHJK")] == [(1, 1)]


def test_upgrade_from_0002_keeps_entries_and_adds_run_ids_and_revision(engine):
    upgrade(engine, "0002")
    with engine.begin() as conn:
        _old_board(conn)
    store = open_store(engine)
    assert current_revision(engine) == HEAD
    board = store.board("ABCDEFGHJK")
    assert board.revision == 0
    [old] = store.entries("ABCDEFGHJK")
    again = store.publish("ABCDEFGHJK", "Cy", sample_entry(4), run_id="run-4")
    assert store.publish("ABCDEFGHJK", "Cy", sample_entry(4), run_id="run-4") == again  # the new index holds
    assert store.board("ABCDEFGHJK").revision == 1
    assert {e.nickname for e in store.entries("ABCDEFGHJK")} == {old.nickname, "Cy"}
    with engine.connect() as conn:
        names = {ix["name"] for ix in sa.inspect(conn).get_indexes("entries")}
    assert {"uq_entries_board_run", "ix_entries_board_created"} <= names


def test_downgrade_to_0001_and_up_again(engine):
    from alembic import command

    from playground.board.migrate import alembic_config
    ensure_schema(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    assert current_revision(engine) == "0001" and "checks" not in table_names(engine)
    ensure_schema(engine)
    assert current_revision(engine) == HEAD and table_names(engine) >= TABLES


_CHILD = """
import sys
from playground.board import db, ensure_schema
ensure_schema(db.make_engine(sys.argv[1]))
print("ok")
"""


def test_three_processes_starting_at_once_migrate_once(db_url):
    procs = [subprocess.Popen([sys.executable, "-c", _CHILD, db_url], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 3, [err[-800:] for _, err in results]
    engine = sa.create_engine(db_url)
    try:
        assert current_revision(engine) == HEAD
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        engine.dispose()
