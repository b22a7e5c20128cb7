"""bench/bench_browser.py's servers and environment, server CPU from /proc, the bare forward of the Layer lab's stack."""
from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import torch

import playground
import testkit
from playground.image.decode import to_working
from playground.image.pipeline import prepare
from playground.image.samples import load_sample
from playground.layers.stacks import DEFAULT_STACK, READY_STACKS
from playground.model import build_stack
from playground.spec import PipelineSpec
from testkit.loadstats import pids_listening
from testkit.server import REPO_ROOT, streamlit_server

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def proc_cpu_ms(pid: int) -> float:
    """utime + stime of a whole process (every thread, also those already ended), in ms."""
    text = open(f"/proc/{pid}/stat").read()
    fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) ": field 3 (state) is fields[0]
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # fields 14 and 15 of proc(5)


def load_average() -> str:
    """'1.23 / 1.05 / 0.90 (1 / 5 / 15 min) on N cores'."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


@contextmanager
def server(args, log: Path):
    """(url, pid) of --url's server, or of a fresh one started from the repo root."""
    if args.url:
        pids = pids_listening(urlparse(args.url).port or 80)
        if len(pids) != 1:
            raise SystemExit(f"expected one process listening on {args.url}, found {pids}")
        yield args.url.rstrip("/"), pids[0]
        return
    with streamlit_server(log, env=server_env(args)) as (url, proc):
        yield url, proc.pid


def server_env(args) -> dict:
    """Extra environment of the servers this run starts."""
    return {"OMP_NUM_THREADS": str(args.torch_threads)} if args.torch_threads else {}


def environment() -> str:
    """What ran: code location and commit, torch threads, load average."""
    rev = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    where = {Path(playground.__file__).resolve().parents[1], Path(testkit.__file__).resolve().parents[1]}
    note = "" if where == {REPO_ROOT} else f"  WARNING: playground / testkit imported from {where}, server runs {REPO_ROOT}"
    return (f"code: {REPO_ROOT} @ {rev.stdout.strip()}{note}\ntorch {torch.__version__}, "
            f"{torch.get_num_threads()} intra-op threads in this process (the same in the server: torch's default, "
            f"or OMP_NUM_THREADS from --torch-threads)\n"
            f"load average at start: {load_average()}")


def default_spec() -> PipelineSpec:
    """What a fresh Layer lab tab shows: the default spec with the default ready stack (first_visit seeds it)."""
    return PipelineSpec().set("net.layers", READY_STACKS[DEFAULT_STACK])


class BareForward:
    """The same stack on the same prepared tensor as the server, timed with time.process_time (all threads)."""

    def __init__(self, spec: PipelineSpec | None = None):
        self.spec = spec or default_spec()
        image = self.spec.image
        working, _ = to_working(load_sample(image.sample), image.long_side, image.grayscale)
        self.x = prepare(self.spec, working).tensor  # (1, C, H, W) float32, as the page's prepared input
        self.models: dict[int, torch.nn.Module] = {}

    def net(self, kernel: int):
        """The stack with layer 1's kernel size set."""
        layers = list(self.spec.net.layers)
        layers[0] = replace(layers[0], kernel=kernel)
        return replace(self.spec.net, layers=tuple(layers))

    def build_ms(self, kernel: int) -> float:
        """CPU ms of build_stack (what the server pays when its model cache misses)."""
        start = time.process_time()
        self.models[kernel] = build_stack(self.net(kernel), self.x.shape[1]).eval()
        return (time.process_time() - start) * 1000

    def forward_ms(self, kernel: int) -> float:
        """CPU ms of one bare model(x) in inference mode."""
        if kernel not in self.models:
            self.build_ms(kernel)
        model = self.models[kernel]
        with torch.inference_mode():
            start = time.process_time()
            model(self.x)
            return (time.process_time() - start) * 1000

    def median_forward_ms(self, kernel: int, n: int = 3, threads: int | None = None) -> float:
        """The median of n forwards (one forward's CPU swings when the other core is busy).

        threads=1: a reference that does not move with the load (no OpenMP thread spinning while it waits
        for a descheduled partner); None: torch's default, as in the server.
        """
        default = torch.get_num_threads()
        torch.set_num_threads(threads or default)
        try:
            return float(np.median([self.forward_ms(kernel) for _ in range(n)]))
        finally:
            torch.set_num_threads(default)


def stats(values: list[float]) -> dict:
    """median, p90, min, max, n."""
    if not values:
        return {"median": float("nan"), "p90": float("nan"), "min": float("nan"), "max": float("nan"), "n": 0}
    arr = np.asarray(values, float)
    return {"median": float(np.median(arr)), "p90": float(np.percentile(arr, 90)), "min": float(arr.min()),
            "max": float(arr.max()), "n": len(values)}


def table(rows: list[tuple[str, str, list[float], str]]) -> str:
    """Markdown rows (what, unit, samples, target) as median / p90 / min / max / n."""
    out = ["| what | median | p90 | min | max | n | target |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for what, unit, values, target in rows:
        s = stats(values)
        cells = [f"{s[k]:.1f} {unit}" for k in ("median", "p90", "min", "max")]
        out.append(f"| {what} | " + " | ".join(cells) + f" | {s['n']} | {target} |")
    return "\n".join(out)
