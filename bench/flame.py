"""Flame summary of a py-spy profile: share of samples per area of the app, from py-spy's collapsed stacks.

    py-spy record --pid PID --format raw --full-filenames --nonblocking --output prof.txt --duration 60
    python bench/flame.py prof.txt [--top 15]

Each stack goes to the FIRST area below that any of its frames matches, so the page region that asked for
the work wins over the library doing it: a widget of the sidebar counts as "sidebar", a slider of the
layer editor as "layer editor widgets", their protobuf serialization included. py-spy samples Python
threads only: torch's OpenMP worker threads are not in the profile (the Python thread that waits for
them is, inside the forward).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

# (area, regex over one frame "function (path:line)"), first match wins.
AREAS: tuple[tuple[str, str], ...] = (
    ("pictures: tiles, JPEG, st.image", r"playground/tiles\.py|image_utils\.py|^(_encode|encoded_layers|encode_jpeg)\b"),
    ("forward incl. model build and validate", r"playground/model\.py|/torch/|playground/layers/shapes\.py"),
    ("image pipeline (augment, normalize, decode)", r"playground/image/"),
    ("sidebar", r"playground/ui/sidebar/|^draw_(sidebar|summary) "),
    ("layer editor widgets", r"playground/ui/layer_lab/editor\.py"),
    ("other page elements (Streamlit elements, dataframe, latex, plotly)",
     r"/pages/|streamlit/elements/|delta_generator|/plotly/|/pandas/|/pyarrow/"),
    ("housekeeping gc", r"playground/ui/housekeeping\.py|_on_script_finished"),
    ("script runner (rerun bookkeeping, session state)", r"streamlit/runtime/scriptrunner|streamlit/runtime/state/"),
    ("messaging (protobuf, websocket, uvicorn / starlette, asyncio)",
     r"/(uvicorn|starlette|anyio|websockets|tornado|asyncio)/|google/protobuf|streamlit/runtime/|streamlit/web/"),
)
# Leaf frames of a thread that waits (select, condition, queue, sleep). py-spy reports a thread idle from its
# OS state; on a loaded machine a woken thread sits runnable in these frames and is counted active.
WAITING = re.compile(r"^(\S+\.select|Condition\.wait|Event\.wait|Thread\._wait_for_tstate_lock|Thread\.join|Queue\.get"
                     r"|SimpleQueue\.get|sleep|PollingPathWatcher\._schedule\.<locals>\.task) |^_worker \(.*concurrent/futures/")
SCRIPT_THREAD = re.compile(r"_run_script ")
OURS = re.compile(r"/(playground|pages)/|/app\.py:")
_COMPILED = tuple((name, re.compile(rx)) for name, rx in AREAS)


def parse(text: str) -> list[tuple[list[str], int]]:
    """Collapsed stacks 'f1;f2;... count' -> [(frames root first, count)]."""
    stacks = []
    for line in text.splitlines():
        head, _, count = line.rpartition(" ")
        if head and count.isdigit():
            stacks.append((head.split(";"), int(count)))
    return stacks


def area(frames: list[str]) -> str:
    """The first area any frame of the stack matches, else 'other'."""
    for name, rx in _COMPILED:
        if any(rx.search(f) for f in frames):
            return name
    return "other"


def thread_kind(frames: list[str]) -> str:
    """Which kind of thread a stack comes from."""
    joined = ";".join(frames)
    if SCRIPT_THREAD.search(joined):
        return "script thread"
    if "concurrent/futures/thread.py" in joined:
        return "worker pools (pictures)"
    if re.search(r"/(uvicorn|starlette|anyio|asyncio|tornado)/", joined):
        return "event loop"
    return "other threads"


def shares(stacks, key) -> Counter:
    """Samples per key(frames)."""
    out = Counter()
    for frames, n in stacks:
        out[key(frames)] += n
    return out


def top_functions(stacks, top: int) -> list[tuple[str, int]]:
    """Inclusive samples of our own functions (playground/, pages/, app.py), each counted once per stack."""
    out = Counter()
    for frames, n in stacks:
        for f in {f for f in frames if OURS.search(f)}:
            out[re.sub(r":\d+\)$", ")", short(f))] += n
    return out.most_common(top)


def short(frame: str) -> str:
    """'fn (/long/path/playground/model.py:12)' -> 'fn (playground/model.py:12)'."""
    return re.sub(r"\(/\S*?/((playground|pages|streamlit|torch)/|app\.py)", r"(\1", frame)


def block(title: str, counts: Counter, total: int) -> list[str]:
    """A markdown table of shares."""
    lines = [f"| {title} | samples | share |", "| --- | --- | --- |"]
    for name, n in counts.most_common():
        lines.append(f"| {name} | {n} | {100 * n / max(1, total):.1f} % |")
    return lines


def summary(text: str, top: int = 15) -> str:
    """The whole report: areas over all threads, areas of the script thread, thread kinds, top functions."""
    every = parse(text)
    stacks = [(f, n) for f, n in every if not WAITING.search(f[-1])]
    total = sum(n for _, n in stacks)
    waiting = sum(n for _, n in every) - total
    script = [(f, n) for f, n in stacks if thread_kind(f) == "script thread"]
    script_total = sum(n for _, n in script)
    lines = [f"{total} working samples ({script_total} in script threads); {waiting} more samples were threads in a wait "
             "(select, condition, queue, sleep) and are left out", ""]
    lines += block("area (all Python threads)", shares(stacks, area), total) + [""]
    lines += block("area (script thread only)", shares(script, area), script_total) + [""]
    lines += block("thread", shares(stacks, thread_kind), total) + [""]
    lines += ["| our function (inclusive, all threads) | samples | share |", "| --- | --- | --- |"]
    lines += [f"| {name} | {n} | {100 * n / max(1, total):.1f} % |" for name, n in top_functions(stacks, top)]
    return "\n".join(lines)


def main(argv=None) -> int:
    """Print the summary of one py-spy raw (collapsed) file."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("profile", type=Path, help="py-spy record --format raw output")
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args(argv)
    print(summary(args.profile.read_text(errors="replace"), args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
