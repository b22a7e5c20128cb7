"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temp dir, on loopback.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user (made
by Debian's package) and its commands run through `runuser -u postgres --`.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from testkit.server import free_port


def pg_bin() -> Path | None:
    """The newest installed server binaries folder holding initdb (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> None:
    proc = subprocess.run(_as_owner(cmd), capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:2])} failed ({proc.returncode}): {proc.stderr[-2000:]}{proc.stdout[-500:]}")


class Cluster:
    """A cluster in root/data listening on 127.0.0.1:port; start() and stop() may be called again."""

    def __init__(self, root: Path, fsync: bool):
        self.root, self.port, self.bindir = root, free_port(), pg_bin()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {root} -c max_connections=200"
                      f" -c fsync={'on' if fsync else 'off'}")

    def _ctl(self, *args: str) -> None:
        _run([str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), *args])

    def init(self) -> None:
        """initdb: trust authentication on loopback, superuser postgres, UTF-8."""
        _run([str(self.bindir / "initdb"), "-D", str(self.root / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8",
              "--no-sync"])

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        self._ctl("-l", str(self.root / "log"), "-w", "-t", "60", "-o", self._opts, "start")

    def running(self) -> bool:
        """True while the server's pid file is there (pg_ctl status)."""
        cmd = [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "status"]
        return subprocess.run(_as_owner(cmd), capture_output=True, timeout=30).returncode == 0

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut)."""
        self._ctl("-m", "fast", "-w", "stop")


@contextmanager
def temp_cluster(fsync: bool = False) -> Iterator[Cluster]:
    """Init and start a cluster in a temp dir on a free port; yield it; stop and delete it afterwards.

    fsync=False (tests) skips flushing to disk; benchmarks pass fsync=True to measure a real server.
    """
    if pg_bin() is None:
        raise FileNotFoundError("PostgreSQL server binaries (initdb) not found")
    root = Path(tempfile.mkdtemp(prefix="playground-pg-"))
    if os.geteuid() == 0:
        os.chown(root, pwd.getpwnam("postgres").pw_uid, -1)
    cluster = Cluster(root, fsync)
    try:
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            if cluster.running():
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def with_schema(url: str, schema: str) -> sa.URL:
    """url whose connections work in schema (libpq options: search_path), keeping any options it had."""
    base = sa.make_url(url)
    options = " ".join(filter(None, [base.query.get("options", ""), f"-csearch_path={schema}"]))
    return base.update_query_dict({"options": options})


@contextmanager
def temp_schema(url: str) -> Iterator[sa.URL]:
    """A fresh, empty schema in the database at url (dropped afterwards); yield a URL that works in it."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(url, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
