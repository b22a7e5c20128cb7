"""Short links (?s=<code>) to stored specs, and per-exercise check counts of a board."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from playground.board import codes
from playground.board import validate as check
from playground.board.base import DAY_S, StoreBase, link_days
from playground.board.errors import BoardError
from playground.board.models import CheckCount
from playground.board.tables import checks, links
from playground.spec import PipelineSpec

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}  # both have ON CONFLICT DO UPDATE


def _upsert(conn: sa.Connection, table: sa.Table, values: dict, keys: list[str], update: dict) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE SET update: one atomic statement, no read-then-write race."""
    stmt = _INSERTS[conn.dialect.name](table).values(values)
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=update))


class LinksMixin(StoreBase):
    """Short links and exercise counts."""

    def store_spec(self, spec_json: str) -> str:
        """A short code for this spec (the same spec always gets the same code); its life restarts now."""
        text = check.canonical_spec(check.spec(spec_json))
        digest = hashlib.sha256(text.encode()).hexdigest()
        now = self.clock()
        values = {"code": codes.random_code(), "spec_hash": digest, "spec": text, "created": now,
                  "expires": now + link_days() * DAY_S}

        def work(conn: sa.Connection) -> str:
            _upsert(conn, links, values, ["spec_hash"], {"expires": values["expires"]})
            return conn.execute(sa.select(links.c.code).where(links.c.spec_hash == digest)).scalar_one()
        return self._write(work)

    def load_spec(self, code: str) -> PipelineSpec:
        """The spec behind a short code; unknown, expired or malformed codes raise board.unknown_link."""
        code = codes.normalize_code(code, "board.unknown_link")
        text = self._read(lambda conn: conn.execute(
            sa.select(links.c.spec).where(links.c.code == code, links.c.expires > self.clock())).scalar())
        if text is None:
            raise BoardError("board.unknown_link")
        return check.spec(text)

    def record_check(self, code: str, exercise_id: str, correct: bool) -> None:
        """Count one check of an exercise on an open board (right or not); nothing about who."""
        exercise = check.exercise(exercise_id)
        if not isinstance(correct, bool):
            raise BoardError("board.bad_field", field="correct")

        def work(conn: sa.Connection) -> None:
            board = self._open(conn, code)
            values = {"board_id": board.id, "exercise": exercise, "attempts": 1, "correct": int(correct)}
            bump = {"attempts": checks.c.attempts + 1, "correct": checks.c.correct + int(correct)}
            _upsert(conn, checks, values, ["board_id", "exercise"], bump)
        self._write(work)

    def counts(self, code: str) -> list[CheckCount]:
        """Per-exercise (attempts, correct) of a live board, by exercise id."""
        def work(conn: sa.Connection) -> list[CheckCount]:
            board = self._live(conn, code)
            rows = conn.execute(sa.select(checks).where(checks.c.board_id == board.id).order_by(checks.c.exercise))
            return [CheckCount(r.exercise, r.attempts, r.correct) for r in rows]
        return self._read(work)
