"""Entries as tables: a data frame with a loss sparkline (the normal view), and a large ranking for a projector."""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import pyarrow as pa
import streamlit as st

from playground.board import Entry
from playground.ui import messages
from playground.ui.state import lang, tr

BARS = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 16
TABLE_CURVE = 32  # loss points per row in the table's sparkline column (an entry keeps up to 100)
_TABLES: OrderedDict[tuple, pa.Table] = OrderedDict()  # drawn pages, shared by the watchers of one board
_TABLES_MAX = 256
_TABLES_LOCK = threading.Lock()


def local_time(moment: datetime) -> str:
    """HH:MM in the browser's time zone (UTC when the browser did not say)."""
    try:
        zone = ZoneInfo(st.context.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%H:%M")


def spark(curve: tuple[float, ...], points: int = SPARK_POINTS) -> str:
    """A loss curve as a line of block characters (text, so it grows with the projector's fonts)."""
    if not curve:
        return ""
    step = max(1, len(curve) // points)
    values = [curve[i] for i in range(0, len(curve), step)][:points]
    logs = [math.log10(max(v, 1e-4)) for v in values]  # log scale: a loss falls fast, then slowly
    lo, hi = min(logs), max(logs)
    span = hi - lo or 1.0
    return "".join(BARS[round((v - lo) / span * (len(BARS) - 1))] for v in logs)


# What a class compares first comes first: the layers (long) last, so a narrow screen scrolls only past them.
COLUMNS = ("no", "nickname", "acc", "curve", "params", "epochs", "seconds", "dataset", "time", "stack", "hidden")


def _row(e: Entry) -> dict:
    return {"no": e.id, "nickname": e.nickname, "time": local_time(e.created),
            "dataset": tr(f"train.datasets.{e.dataset}"), "stack": e.stack, "params": e.params, "epochs": e.epochs,
            "seconds": round(e.seconds, 1), "acc": round(100 * e.val_acc, 1), "curve": _thin(e.curve),
            "hidden": tr("board.page.yes") if e.hidden else ""}


def _thin(curve: tuple[float, ...], points: int = TABLE_CURVE) -> list[float]:
    """At most `points` of the curve, evenly spread, the last one kept (a sparkline shows no more)."""
    if len(curve) <= points:
        return list(curve)
    return [curve[round(i * (len(curve) - 1) / (points - 1))] for i in range(points)]


def head(name: str) -> str:
    """A column's header in the session's language (the frame's own column name: what a reader sees)."""
    return tr(f"board.col.{name}")


def entries_frame(entries: list[Entry], teacher: bool) -> pd.DataFrame:
    """One row per entry (the entry number is the id everyone sees); the hidden column for the teacher only."""
    frame = pd.DataFrame([_row(e) for e in entries], columns=list(COLUMNS))
    frame = frame if teacher else frame.drop(columns=["hidden"])
    return frame.rename(columns=head)


def column_config() -> dict:
    """Column kinds by translated header; the curve as a sparkline."""
    return {head(name): kind for name, kind in _kinds().items()}


def _kinds() -> dict:
    return {
        "no": st.column_config.NumberColumn(head("no"), format="%d", width="small"),
        "nickname": st.column_config.TextColumn(head("nickname")),
        "time": st.column_config.TextColumn(head("time"), width="small"),
        "dataset": st.column_config.TextColumn(head("dataset"), width="small"),
        "stack": st.column_config.TextColumn(head("stack"), width="large"),
        "params": st.column_config.NumberColumn(head("params"), format="localized"),
        "epochs": st.column_config.NumberColumn(head("epochs"), width="small"),
        "seconds": st.column_config.NumberColumn(head("seconds"), format="%.1f"),
        "acc": st.column_config.NumberColumn(head("acc"), format="%.1f %%"),
        "curve": st.column_config.LineChartColumn(head("curve"), y_min=0.0),
        "hidden": st.column_config.TextColumn(head("hidden"), width="small"),
    }


def arrow_table(entries: list[Entry], teacher: bool, slot: tuple | None = None) -> pa.Table:
    """The entries as the table draws them; with a slot (the board's revision and view), built once per
    slot, language and time zone for every watcher of this process."""
    if slot is None:
        return pa.Table.from_pandas(entries_frame(entries, teacher), preserve_index=False)
    key = (slot, teacher, lang(), st.context.timezone)
    with _TABLES_LOCK:
        found = _TABLES.get(key)
    if found is None:
        found = pa.Table.from_pandas(entries_frame(entries, teacher), preserve_index=False)
        with _TABLES_LOCK:
            _TABLES[key] = found
            while len(_TABLES) > _TABLES_MAX:
                _TABLES.popitem(last=False)
    return found


def show_entries(entries: list[Entry], teacher: bool, slot: tuple | None = None) -> None:
    """The entries as an interactive table (text cells: a nickname is never markup)."""
    st.dataframe(arrow_table(entries, teacher, slot), column_config=column_config(), hide_index=True, width="stretch",
                 height=min(640, 38 + 35 * max(1, len(entries))))


def show_big(entries: list[Entry], limit: int = 10) -> None:
    """The best `limit` entries as a static table for the projector (cells are markdown: values escaped)."""
    rows = [{tr("board.col.rank"): str(n), tr("board.col.nickname"): messages.plain(e.nickname),
             tr("board.col.acc"): f"{100 * e.val_acc:.1f} %", tr("board.col.params"): f"{e.params:,}",
             tr("board.col.epochs"): str(e.epochs), tr("board.col.curve"): spark(e.curve)}
            for n, e in enumerate(entries[:limit], start=1)]
    st.table(pd.DataFrame(rows), hide_index=True)
