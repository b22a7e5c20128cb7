"""What a watcher of a board draws, read once per change of the board: pages cached by the board's revision.

Every watcher asks for its page every tick. The board's row (one small read) says its revision; a page
already read at that revision (for the same order, filters, page and key) comes from this process's
cache, so a tick of a board where nothing changed reads one row whatever the board holds, and thirty
watchers of one board share one read of each new revision. A page is bounded (PAGE_SIZE rows, a top-N
ranking), so what a change costs does not grow with the board either.
"""
from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from playground.board.models import Board, Entry, Page

PAGE_SIZE = 25  # about what the table shows without scrolling (640 px)
RANK_TOP = 10
CACHE_PAGES = 512  # distinct (board, revision, view) pages kept; a page of 25 entries is ~50 KB at most
FRESH_S = 0.5  # a board's row read by one watcher serves the others this long (30 watchers: 2 reads a second)


@dataclass(frozen=True)
class View:
    """What one watcher looks at: order, filters, which page (0-based) and the ranking's length."""

    sort: str = "acc"
    dataset: str | None = None
    lesson: str | None = None
    page: int = 0
    size: int = PAGE_SIZE
    top: int = RANK_TOP


@dataclass(frozen=True)
class Snapshot:
    """A board as a watcher draws it: the board, one page of entries, the challenge's top entries."""

    board: Board
    page: Page
    ranked: tuple[Entry, ...]
    size: int = PAGE_SIZE
    slot: tuple = ()  # (board code, revision, view, key hash): the same slot, the same page
    @property
    def pages(self) -> int:
        """How many pages the matching entries fill (at least 1)."""
        return max(1, -(-self.page.total // self.size))


class Watch:
    """The process's page cache; call(method, *args, **kwargs) reaches the store (boardlink.call in the app)."""

    def __init__(self, size: int = CACHE_PAGES, fresh_s: float = FRESH_S, clock: Callable[[], float] = time.monotonic):
        self.size, self.fresh_s, self.clock = size, fresh_s, clock
        self._pages: OrderedDict[tuple, tuple[Page, tuple[Entry, ...]]] = OrderedDict()
        self._boards: dict[str, tuple[float, Board]] = {}  # code as asked -> (when read, board)
        self._lock = threading.Lock()

    def board(self, call: Callable, code: str) -> Board:
        """The board's row, read at most once per fresh_s for all watchers of this process."""
        now = self.clock()
        with self._lock:
            seen = self._boards.get(code)
        if seen is not None and now - seen[0] < self.fresh_s:
            return seen[1]
        board: Board = call("board", code)
        with self._lock:
            if len(self._boards) > self.size:
                self._boards.clear()
            self._boards[code] = (now, board)
        return board

    def forget(self, code: object) -> None:
        """This process changed the board: its next read is fresh (the writer sees its change at once)."""
        with self._lock:
            for asked in [c for c in self._boards if isinstance(code, str) and c.upper() == code.upper()]:
                del self._boards[asked]

    def read(self, call: Callable, code: str, view: View, key: str | None = None) -> Snapshot:
        """The board now and its page at the board's revision (hidden entries too with the teacher key)."""
        board = self.board(call, code)
        slot = (board.code, board.revision, view, hashlib.sha256(key.encode()).hexdigest() if key else None)
        with self._lock:
            found = self._pages.get(slot)
            if found is not None:
                self._pages.move_to_end(slot)
        if found is None:
            found = self._fetch(call, board, view, key)
            with self._lock:
                self._pages[slot] = found
                while len(self._pages) > self.size:
                    self._pages.popitem(last=False)
        return Snapshot(board, *found, size=view.size, slot=slot)

    @staticmethod
    def _fetch(call: Callable, board: Board, view: View, key: str | None) -> tuple[Page, tuple[Entry, ...]]:
        page = call("page", board.code, sort=view.sort, dataset=view.dataset, lesson=view.lesson,
                    include_hidden=key is not None, key=key, limit=view.size, offset=view.page * view.size)
        ranked = tuple(call("ranking", board.code, limit=view.top)) if board.challenge.active else ()
        return page, ranked

    def clear(self) -> None:
        """Forget every page (tests)."""
        with self._lock:
            self._pages.clear()
            self._boards.clear()
