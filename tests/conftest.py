"""Shared fixtures: the class board's databases (a SQLite file, and a real PostgreSQL server), a fresh
process state per test (no training left running, no tab's stores carried over), and the Hypothesis profiles.

PostgreSQL comes from PLAYGROUND_TEST_PG (a SQLAlchemy URL; CI sets it with .ci/pg.sh) or, when that
is unset, a throwaway cluster started here with initdb + pg_ctl. Without PostgreSQL the PG cases are
skipped on a developer machine and FAIL when CI is set. Each test works in its own fresh schema.
"""
from __future__ import annotations

import os

import pytest

from playground.board import Store, db, ensure_schema
from playground.training.trainer import Trainer
from testkit import hypo
from testkit.boarddata import Clock
from testkit.pgcluster import pg_bin, temp_cluster, temp_schema

hypo.load()  # before any test module applies @settings


def pytest_collection_modifyitems(config, items):
    """Tests marked `slow` run first, in their collected order, then the rest.

    `--dist worksteal` splits the list between the workers and a worker that runs dry takes the far end of the
    other's queue: with the long tests at the front, what is left at the end is short, and neither worker waits
    long for the other to finish. Mark a whole module (`pytestmark`) when it has module-scoped fixtures.
    """
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def no_rerun_pacing(monkeypatch):
    """In-process page tests rerun as fast as they can, several sessions per process over a run: the rerun
    pacer (playground/ui/runtime/pacing.py) would make them wait. tests/test_pace.py tests it on a fake clock."""
    from playground.pace import Pacer
    from playground.ui.runtime import pacing

    monkeypatch.setattr(pacing, "PACER", Pacer(hot=0.0, half_life=10.0))


@pytest.fixture(autouse=True)
def no_training_left_running(monkeypatch):
    """Every training a test starts (directly or through a page) is stopped and joined when the test ends.

    The queue of trainings is one per process: a run left going would hold a slot and the CPU in later tests.
    """
    started: list[Trainer] = []
    real_start = Trainer.start

    def start(self):
        running = real_start(self)
        started.append(self)
        return running

    monkeypatch.setattr(Trainer, "start", start)
    yield started
    for trainer in started:
        trainer.stop()
    for trainer in started:
        assert trainer.join(60), "a training did not stop within 60 s of stop()"


@pytest.fixture
def fresh_tab():
    """AppTest reuses one session id: drop every per-tab store (their on_release stops their workers), before and after."""
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture(scope="session", autouse=True)
def board_database(tmp_path_factory):
    """Every test's app (AppTest in this process, servers started by tests) uses a throwaway board database."""
    path = tmp_path_factory.mktemp("board") / "board.sqlite3"
    old = os.environ.get("PLAYGROUND_DB")
    os.environ["PLAYGROUND_DB"] = f"sqlite+pysqlite:///{path}"
    yield os.environ["PLAYGROUND_DB"]
    if old is None:
        os.environ.pop("PLAYGROUND_DB", None)
    else:
        os.environ["PLAYGROUND_DB"] = old


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_server():
    """The URL of a PostgreSQL database the tests may create schemas in."""
    given = os.environ.get("PLAYGROUND_TEST_PG", "").strip()
    if given:
        yield given
        return
    if pg_bin() is None:
        reason = "PostgreSQL not found: set PLAYGROUND_TEST_PG or install Debian's postgresql"
        if _in_ci():
            pytest.fail(f"{reason} (CI is set, so this is an error, not a skip)", pytrace=False)
        pytest.skip(reason)
    with temp_cluster() as cluster:
        yield cluster.url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The URL of an empty board database: a SQLite file, or a fresh schema on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'board.sqlite3'}"
        return
    with temp_schema(request.getfixturevalue("pg_server")) as url:
        yield url.render_as_string(hide_password=False)


@pytest.fixture
def engine(db_url):
    """An engine on the empty database (disposed afterwards)."""
    eng = db.make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def clock():
    """The board store's clock, moved by hand."""
    return Clock()


@pytest.fixture
def store(engine, clock):
    """A board store on the empty database, on the hand-moved clock."""
    ensure_schema(engine)
    return Store(engine, clock=clock)
