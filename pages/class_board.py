"""Class board: create or join a board, publish runs, watch the class live."""
from playground.ui import boot
from playground.ui.board import page

boot.require_app()
page.main()
