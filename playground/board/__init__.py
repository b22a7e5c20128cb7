"""The class board's storage: boards, published runs, short links and check counts in a real database.

Modules: errors (BoardError, BoardUnavailable), db (engines: PLAYGROUND_DB or data/board.sqlite3),
tables (the schema at head), migrate + migrations/ (Alembic, run by ensure_schema), codes (class codes,
teacher keys), validate (nicknames, entries, specs), models (records), base/boards/entries/teacher/links/pace
(the Store's parts; pace: a lesson the board runs), export (CSV), store (Store, open_store).
"""
from importlib import import_module

from playground.board.errors import BoardError, BoardUnavailable

# SQLAlchemy and Alembic take ~2.8 s to import: every page imports this package (the link's class keys), so
# the store's modules load on first use, not at a cold start (tests/test_first_run_light.py).
_LAZY = {"ensure_schema": "migrate", "Board": "models", "Challenge": "models", "CheckCount": "models",
         "Entry": "models", "NewEntry": "models", "Store": "store", "open_store": "store"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f"playground.board.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'playground.board' has no attribute {name!r}")

__all__ = ["Board", "BoardError", "BoardUnavailable", "Challenge", "CheckCount", "Entry", "NewEntry", "Store",
           "ensure_schema", "open_store"]
