"""The server's memory ceiling: past it, new heavy work is refused with a message; nothing running is stopped.

One process holds every student's session. Each new feature-map run, training or picture decode adds to its
memory, and without a ceiling a class could take the machine down and every session with it. `check` is
called before such work starts: it compares the process's resident memory (plus what the work is expected to
need) with the budget and raises a SpecError whose message says why and how much is in use. The student's
settings and pictures stay as they were; the work can be asked for again once memory is back (closed tabs are
reaped by playground/ui/runtime/housekeeping.py).

The budget comes from PLAYGROUND_MEMORY_BUDGET ("4G", "3500M", or bytes); by default 4 GiB, or three
quarters of the machine's (or container's) memory when that is less.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from playground.errors import Message, SpecError

ENV = "PLAYGROUND_MEMORY_BUDGET"
DEFAULT_BUDGET = 4 * 2 ** 30
MACHINE_SHARE = 0.75
_UNITS = {"": 1, "K": 2 ** 10, "M": 2 ** 20, "G": 2 ** 30, "T": 2 ** 40}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)


def parse_size(text: str) -> int:
    """Bytes from "4G", "3500M", "512MiB" or a plain number of bytes; ValueError otherwise."""
    match = _SIZE.match(text)
    if match is None:
        raise ValueError(f"{ENV} must be a size such as 4G or 3500M, got {text!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def machine_bytes() -> int | None:
    """The memory this process may use at most: the container's limit (cgroup v2 / v1) or the machine's."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2 ** 60:
            return int(text)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return None


def budget_bytes() -> int:
    """The ceiling in bytes: PLAYGROUND_MEMORY_BUDGET, else 4 GiB or 3/4 of the machine, whichever is less."""
    if (text := os.environ.get(ENV, "").strip()):
        return parse_size(text)
    machine = machine_bytes()
    return min(DEFAULT_BUDGET, int(machine * MACHINE_SHARE)) if machine else DEFAULT_BUDGET


def rss_bytes() -> int:
    """This process's resident memory now (Linux /proc; 0 where it cannot be read)."""
    try:
        resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


reading: Callable[[], int] = rss_bytes  # what check() reads; tests put a fake reading here


def check(work: str, need: int = 0) -> None:
    """Refuse heavy work (a catalogue key under memory.work.*) when it would take the process past the budget.

    need: bytes the work is expected to allocate (0 when unknown): used + need is compared with the budget.
    """
    budget, used = budget_bytes(), reading()
    if used + max(0, need) > budget:
        raise SpecError("memory.full", work=Message(f"memory.work.{work}"), used_mb=round(used / 2 ** 20),
                        need_mb=round(max(0, need) / 2 ** 20), budget_mb=round(budget / 2 ** 20))
