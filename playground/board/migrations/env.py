"""Alembic's environment for the board: runs on the connection ensure_schema hands over (or PLAYGROUND_DB)."""
from alembic import context

from playground.board.migrate import run_env

# Imported outside an Alembic run (the import-every-core-module test), Alembic's context has no config.
if hasattr(context, "config"):
    run_env(context)
