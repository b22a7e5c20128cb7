"""Class board: create or join a board, publish runs, watch the class live."""
from playground.ui.board import page
from playground.ui.runtime import boot

boot.require_app()
page.main()
