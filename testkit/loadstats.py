"""Figures for bench/load.py: latencies per action, client errors, and the server's /proc readings over time."""
from __future__ import annotations

import asyncio
import os
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np


def pids_listening(port: int) -> list[int]:
    """Process ids holding a listening TCP socket on this port (read from /proc, Linux only)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            cols = line.split()
            if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A = LISTEN
                inodes.add(cols[9])
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            links = {os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")}
        except OSError:
            continue
        if any(f"socket:[{inode}]" in links for inode in inodes):
            found.append(int(pid))
    return found


def proc_status(pid: int) -> dict[str, int]:
    """RSS (MiB) and thread count of one process; empty if it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {"rss_mib": int(fields["VmRSS"].split()[0]) // 1024, "threads": int(fields["Threads"])}


class ServerProbe:
    """Reads every server process's RSS and threads every `every` seconds."""

    def __init__(self, pids: list[int], every: float = 1.0):
        self.pids, self.every = pids, every
        self.series: list[tuple[float, dict[int, dict[str, int]]]] = []
        self.t0 = time.perf_counter()

    def snapshot(self) -> dict[int, dict[str, int]]:
        """One reading per pid now."""
        return {pid: proc_status(pid) for pid in self.pids}

    async def run(self) -> None:
        """Sample until cancelled."""
        while True:
            self.series.append((round(time.perf_counter() - self.t0, 1), self.snapshot()))
            await asyncio.sleep(self.every)

    def summary(self, points: int = 12) -> dict:
        """Per pid: min / max RSS and threads, and about `points` readings spread over the run."""
        out = {}
        for pid in self.pids:
            rows = [(t, s[pid]) for t, s in self.series if s.get(pid)]
            if not rows:
                continue
            step = max(1, len(rows) // points)
            out[pid] = {"rss_mib_max": max(r["rss_mib"] for _, r in rows),
                        "threads_max": max(r["threads"] for _, r in rows),
                        "timeline": [(t, r["rss_mib"], r["threads"]) for t, r in rows[::step]]}
        return out


class Recorder:
    """Collects what the clients saw."""

    def __init__(self):
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.messages: Counter = Counter()
        self.trainings: list[tuple[float, bool]] = []
        self.own_sets: list[int] = []  # pictures each tab's own set held (--own-sets)
        self.warm_open: float | None = None  # one session alone opening the default page once the class has gone
        self.t0 = time.perf_counter()

    def latency(self, action: str, seconds: float) -> None:
        """One action's time from request to the last picture of the run."""
        self.times[action].append(seconds)

    def error(self, action: str, text: str) -> None:
        """A failure a student would see (exception element, timeout, closed socket, missing picture)."""
        self.errors.append(f"{action}: {text}")

    def message(self, action: str, text: str) -> None:
        """An st.error message (a clear message from our validation, not a failure): counted by text."""
        self.messages[f"{action}: {text[:90]}"] += 1

    def training(self, seconds: float, queued: bool) -> None:
        """A training watched to its end: time from Start and whether the tab said it was queued."""
        self.trainings.append((seconds, queued))

    def report(self, probe: ServerProbe, warm: dict, final: dict, settings: dict) -> dict:
        """All figures as plain data."""
        table = {}
        for action, values in sorted(self.times.items()):
            arr = np.array(values)
            table[action] = {"n": len(arr), "p50": float(np.percentile(arr, 50)),
                             "p95": float(np.percentile(arr, 95)), "max": float(arr.max())}
        return {"settings": {k: v for k, v in settings.items() if k != "json"},
                "wall_s": round(time.perf_counter() - self.t0, 1), "actions": table, "errors": self.errors,
                "messages": dict(self.messages), "trainings": self.trainings, "own_sets": self.own_sets,
                "arrival": self.arrival(), "server_warm": warm,
                "server_final": final, "server": probe.summary()}

    def arrival(self) -> dict | None:
        """p95 of opening the link (connect to the first run finished, pictures fetched) over one warm session's."""
        opens = self.times.get("open_link")
        if not opens or not self.warm_open:
            return None
        p95 = float(np.percentile(opens, 95))
        return {"open_link_p95": p95, "warm_open": self.warm_open, "ratio": p95 / self.warm_open}

    @staticmethod
    def format(report: dict) -> str:
        """The report as readable text."""
        lines = [f"wall time {report['wall_s']} s; settings: "
                 + ", ".join(f"{k}={v}" for k, v in report["settings"].items() if k not in ("pid",))]
        lines.append(f"{'action':<18}{'n':>6}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
        for action, row in report["actions"].items():
            lines.append(f"{action:<18}{row['n']:>6}{row['p50']:>9.3f}{row['p95']:>9.3f}{row['max']:>9.3f}")
        for action, row in report["actions"].items():  # --alone / --train-hogs: the same action, both phases
            alone = report["actions"].get(action.replace("@hogs", "@alone")) if "@hogs" in action else None
            if alone:
                lines.append(f"{action.replace('@hogs', '')}: p50 with the heavy tabs / alone = "
                             f"{row['p50']:.3f} / {alone['p50']:.3f} s = {row['p50'] / alone['p50']:.2f}x")
        if report["trainings"]:
            secs = [s for s, _ in report["trainings"]]
            lines.append(f"trainings finished: {len(secs)}, Start→finished {min(secs):.1f}–{max(secs):.1f} s, "
                         f"said 'queued': {sum(q for _, q in report['trainings'])}")
        if report.get("own_sets"):
            sets = report["own_sets"]
            lines.append(f"own sets held at once: {sum(n > 0 for n in sets)} of {len(sets)} tabs, "
                         f"pictures per tab {min(sets)}–{max(sets)}")
        if arrival := report.get("arrival"):
            lines.append(f"arrival: open_link p95 {arrival['open_link_p95']:.2f} s, one warm session "
                         f"{arrival['warm_open']:.3f} s (median), ratio {arrival['ratio']:.1f}x")
        lines.append(f"client errors: {len(report['errors'])}")
        lines += [f"  {e}" for e in report["errors"][:15]]
        lines += [f"error message x{n}: {m}" for m, n in report["messages"].items()]
        for pid, row in report["server"].items():
            lines.append(f"server pid {pid}: warm {report['server_warm'].get(pid)}, final {report['server_final'].get(pid)}, "
                         f"max RSS {row['rss_mib_max']} MiB, max threads {row['threads_max']}")
            lines.append("  (t s, RSS MiB, threads): " + " ".join(f"({t:g},{r},{n})" for t, r, n in row["timeline"]))
        return "\n".join(lines)
