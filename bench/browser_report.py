"""The figures of bench/bench_browser.py as markdown tables (medians / p90 / min / max / n)."""
from __future__ import annotations

import statistics

from bench_support import stats, table

MODES = {False: "one page, values revisited: pictures from the browser's list of available images",
         True: "a new document per release: every new picture downloaded"}


def bytes_rows(s: dict) -> list[tuple]:
    """Websocket and /media/ bytes per interaction."""
    return [("websocket bytes received", "KB", s["ws_kb"], ""),
            ("websocket bytes sent", "KB", s["sent_kb"], ""),
            ("/media/ bytes fetched", "KB", s["media_kb"], ""),
            ("websocket + /media/ bytes", "KB", [a + b for a, b in zip(s["ws_kb"], s["media_kb"], strict=True)], ""),
            ("websocket frames received", "", s["frames"], "")]


def slider_rows(s: dict, paint_target: str) -> list[tuple]:
    """Times and CPU of one slider's releases."""
    rows = [("release -> new pictures painted", "ms", s["ms"], paint_target),
            ("release -> script idle", "ms", [v for v in s["idle_ms"] if v is not None], ""),
            ("server CPU per release", "ms", s["cpu_ms"], "")]
    if "forward_ms" in s:
        rows.append(("bare torch forward, same stack and input (CPU, median of 3)", "ms", s["forward_ms"], ""))
    if "forward_1t_ms" in s:
        rows.append(("same bare forward on 1 thread (reference, CPU, median of 3)", "ms", s["forward_1t_ms"], ""))
    return rows


def ratio_lines(s: dict, build: list[float]) -> list[str]:
    """Server CPU per release against the bare forward, measured in the same run."""
    cpu, fwd = stats(s["cpu_ms"])["median"], stats(s["forward_ms"])["median"]
    per = [c / f for c, f in zip(s["cpu_ms"], s["forward_ms"], strict=True) if f > 0]
    lines = [f"**server CPU per release / bare forward CPU: {cpu / fwd:.1f}x** (ratio of medians; "
             f"median of per-release ratios {statistics.median(per):.1f}x; target <= 5x)"]
    if "forward_1t_ms" in s:
        lines.append(f"against the 1-thread bare forward: {cpu / stats(s['forward_1t_ms'])['median']:.1f}x")
    build_ms = stats(build)["median"]
    return lines + [f"bare build_stack of the same stack (what a model-cache miss costs): median {build_ms:.1f} ms CPU"]


def cold_block(c: dict) -> list[str]:
    """Cold starts."""
    return ["### Cold start (a fresh server per sample; first visit to /)",
            table([("start command -> health ok", "ms", c["health_ms"], ""),
                   ("start command -> first picture painted", "ms", c["first_from_start_ms"], "<= 4000 ms"),
                   ("health ok -> first picture painted", "ms", c["first_from_health_ms"], "<= 4000 ms"),
                   ("start command -> first visit settled (script idle 1 s)", "ms", c["settled_from_start_ms"], "")]), ""]


def slider_block(s: dict, title: str, fresh: bool, layer: bool, build: list[float]) -> list[str]:
    """One slider run."""
    out = [f"### {title}; {MODES[fresh]}", f"(pictures watched: {s['watched']}, plotly chart watched: {s['plotly']})",
           table(slider_rows(s, "median <= 200 ms" if layer else "") + bytes_rows(s)), ""]
    return out + (ratio_lines(s, build) + [""] if "forward_ms" in s else [])


def switch_block(switch: dict, nav: tuple) -> list[str]:
    """Sidebar page switches, per page."""
    rows = []
    for path, *_ in nav:
        if s := switch.get(path):
            rows += [(f"switch to {path}: click -> controls visible", "ms", s["ms"], "<= 500 ms"),
                     (f"switch to {path}: click -> script idle", "ms", [v for v in s["idle_ms"] if v], ""),
                     (f"switch to {path}: server CPU", "ms", s["cpu_ms"], ""),
                     (f"switch to {path}: websocket + media KB", "KB",
                      [a + b for a, b in zip(s["ws_kb"], s["media_kb"], strict=True)], "")]
    return ["### Sidebar page switches", table(rows), ""]


def figures(results: dict, sliders: dict, runs: dict, nav: tuple) -> str:
    """Every measured phase, one table each."""
    out = [f"load average: start {results['load_start']}, end {results.get('load_end', '?')}", ""]
    if "cold" in results:
        out += cold_block(results["cold"])
    for run, (which, fresh) in runs.items():
        if run in results:
            out += slider_block(results[run], sliders[which][0], fresh, which == "layer", results["build_ms"])
    if "switch" in results:
        out += switch_block(results["switch"], nav)
    return "\n".join(out)
