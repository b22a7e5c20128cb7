"""The class board's storage: boards, published runs, short links and check counts in a real database.

Modules: errors (BoardError, BoardUnavailable), db (engines: PLAYGROUND_DB or data/board.sqlite3),
tables (the schema at head), migrate + migrations/ (Alembic, run by ensure_schema), codes (class codes,
teacher keys), validate (nicknames, entries, specs), models (records), base/boards/entries/teacher/links
(the Store's parts), export (CSV), store (Store, open_store).
"""
from playground.board.errors import BoardError, BoardUnavailable
from playground.board.migrate import ensure_schema
from playground.board.models import Board, Challenge, CheckCount, Entry, NewEntry
from playground.board.store import Store, open_store

__all__ = ["Board", "BoardError", "BoardUnavailable", "Challenge", "CheckCount", "Entry", "NewEntry", "Store",
           "ensure_schema", "open_store"]
