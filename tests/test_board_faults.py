"""A database that cannot be written or reached gives BoardUnavailable (key board.unavailable), and recovers."""
from __future__ import annotations

import os
import socket
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from playground.board import BoardError, BoardUnavailable, Store, open_store
from playground.board import db as board_db
from testkit.boarddata import sample_entry
from testkit.pgcluster import pg_bin, temp_cluster
from testkit.server import free_port


def sqlite_url(path) -> str:
    return f"sqlite+pysqlite:///{path}"


@pytest.fixture
def filled(tmp_path):
    """(path, code, key) of a SQLite board with one entry; the engine that wrote it is gone."""
    path = tmp_path / "board.sqlite3"
    engine = board_db.make_engine(sqlite_url(path))
    store = open_store(engine)
    code, key = store.create_board()
    store.publish(code, "Ann", sample_entry())
    engine.dispose()
    return path, code, key


def read_only_engine(path) -> sa.Engine:
    """An engine that cannot write the file: chmod for a normal user; root ignores file modes, so mode=ro."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        return board_db.make_engine(sqlite_url(path))
    return board_db.make_engine(sa.URL.create("sqlite+pysqlite", database=f"file:{path}",
                                              query={"mode": "ro", "uri": "true"}))


def test_read_only_sqlite_reads_but_refuses_writes_as_unavailable(filled):
    path, code, key = filled
    engine = read_only_engine(path)
    try:
        store = open_store(engine)  # the schema is at head: starting only reads
        assert [e.nickname for e in store.entries(code)] == ["Ann"]
        for write in (lambda: store.publish(code, "Bo", sample_entry()), lambda: store.create_board(),
                      lambda: store.hide(code, key, 1), lambda: store.record_check(code, "x", True)):
            with pytest.raises(BoardUnavailable) as err:
                write()
            assert err.value.key == "board.unavailable"
    finally:
        engine.dispose()
        path.parent.chmod(0o755)
        path.chmod(0o644)


def test_full_disk_is_unavailable_and_the_run_can_be_published_again(filled):
    path, code, _ = filled
    full = board_db.make_engine(sqlite_url(path))

    @event.listens_for(full, "connect")
    def _no_room(dbapi_conn, _record):  # SQLite's own "disk full": the file may not grow by one page
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    run = sample_entry(7)
    with pytest.raises(BoardUnavailable):
        for i in range(100):
            Store(full).publish(code, f"Bo{i}", run)
    full.dispose()
    roomy = board_db.make_engine(sqlite_url(path))
    try:
        store = Store(roomy)
        before = len(store.entries(code))
        store.publish(code, "Bo", run)  # the same run, published again once the disk has room
        assert len(store.entries(code)) == before + 1
    finally:
        roomy.dispose()


def test_unopenable_sqlite_path_then_recovery(tmp_path):
    path = tmp_path / "later" / "board.sqlite3"
    engine = board_db.make_engine(sqlite_url(path))
    try:
        with pytest.raises(BoardUnavailable):
            open_store(engine)
        path.parent.mkdir()
        code, _ = open_store(engine).create_board()  # the next start tries again
        assert open_store(engine).board(code).code == code
    finally:
        engine.dispose()


def test_postgres_on_a_closed_port_is_unavailable():
    engine = board_db.make_engine(f"postgresql+psycopg://board@127.0.0.1:{free_port()}/board")
    try:
        with pytest.raises(BoardUnavailable):
            open_store(engine)
        with pytest.raises(BoardUnavailable):
            Store(engine).board("ABCDEFGHJK")
    finally:
        engine.dispose()


def test_postgres_that_never_answers_times_out():
    """A port that accepts TCP but never speaks: the connect timeout (5 s) ends the wait."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        engine = board_db.make_engine(f"postgresql://board@127.0.0.1:{silent.getsockname()[1]}/board")
        outcome = []
        worker = threading.Thread(target=lambda: outcome.append(_error_of(lambda: open_store(engine))), daemon=True)
        worker.start()
        worker.join(timeout=120)  # a hang detector, not a speed check
        engine.dispose()
    assert not worker.is_alive(), "connecting to a silent server never gave up"
    assert outcome == [BoardUnavailable]


def _error_of(call) -> type | None:
    try:
        call()
    except Exception as err:  # the test compares the type
        return type(err)
    return None


@pytest.mark.parametrize("url", ["not a url", "nosuchdb://x/y", "postgresql+nosuchdriver://x/y"])
def test_bad_playground_db_urls_are_unavailable(monkeypatch, url):
    monkeypatch.setenv("PLAYGROUND_DB", url)
    with pytest.raises(BoardUnavailable):
        board_db.make_engine(board_db.database_url())


def test_default_database_is_a_sqlite_file_in_data(monkeypatch, tmp_path):
    monkeypatch.delenv("PLAYGROUND_DB", raising=False)
    url = board_db.database_url(root=tmp_path)
    assert url.get_backend_name() == "sqlite" and url.database == str(tmp_path / "data" / "board.sqlite3")
    assert (tmp_path / "data").is_dir()
    engine = board_db.make_engine(url)
    try:
        open_store(engine).create_board()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()
    (tmp_path / "blocked").write_text("a file where the data folder should be")
    with pytest.raises(BoardUnavailable):
        board_db.database_url(root=tmp_path / "blocked")


def test_shared_engine_is_one_per_url(tmp_path):
    url = sqlite_url(tmp_path / "x.sqlite3")
    assert board_db.shared_engine(url) is board_db.shared_engine(url)
    assert board_db.shared_engine(url) is not board_db.shared_engine(sqlite_url(tmp_path / "y.sqlite3"))


def test_postgres_restart_loses_nothing():
    """The server goes down mid-lesson: publishing says unavailable; once it is back, the run goes in."""
    if pg_bin() is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("PostgreSQL server binaries missing in CI", pytrace=False)
        pytest.skip("PostgreSQL server binaries (initdb) not installed")
    with temp_cluster() as cluster:
        engine = board_db.make_engine(cluster.url)
        try:
            store = open_store(engine)
            code, _ = store.create_board()
            store.publish(code, "Ann", sample_entry(1))
            cluster.stop()
            run = sample_entry(2)
            for call in (lambda: store.publish(code, "Bo", run), lambda: store.entries(code)):
                with pytest.raises(BoardError) as err:
                    call()
                assert err.value.key == "board.unavailable"
            cluster.start()
            store.publish(code, "Bo", run)  # pool_pre_ping replaces the dead connections
            assert sorted(e.nickname for e in store.entries(code)) == ["Ann", "Bo"]
        finally:
            engine.dispose()
