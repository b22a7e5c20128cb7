"""Classroom load: N real Streamlit sessions (websocket protocol) doing what students do, against a running server.

    python bench/load.py --url http://127.0.0.1:8501 --sessions 30 --seconds 120
    python bench/load.py --url ... --sessions 10 --seconds 60 --trainings 10 --think 0 0   # 10 trainings at once
    python bench/load.py --url ... --churn 100 --sessions 10                             # open / close 100 tabs
    python bench/load.py --url ... --sessions 30 --trainings 30 --board --publish-together --think 0 0 --seconds 0
        # one class board: every student trains, then all publish at the same moment (testkit/loadboard.py)
    python bench/load.py --url ... --own-sets 30                 # 30 tabs each read a 501-picture zip, then close
    python bench/load.py --url ... --uploads 30 --hold 20 --settle 130   # 30 tabs upload a 16 MP picture at once
    python bench/load.py --serve --sessions 40 --ramp 2 --no-warmup --seconds 0   # a class arrives at a fresh server
    python bench/load.py --serve app.py --sessions 40 --ramp 2 --no-warmup --seconds 0   # ... not warmed at start
    python bench/load.py --serve --arrival --sessions 40 --ramp 2 --no-warmup   # they only open the link
    python bench/load.py --serve --arrival --sessions 200 --ramp 120 --then layer_lab --settle 150   # memory
    PLAYGROUND_MEMORY_BUDGET=3G python bench/load.py --serve --arrival --distinct --sessions 200 --ramp 120 \
        --then layer_lab --settle 150 --timeout 300    # every tab its own 1024-px maps: the ceiling holds
    python bench/load.py --url ... --db URL --watchers 30 --entries 2000   # slider alone vs 30 board watchers
    python bench/load.py --serve --db URL --answers 30 --window 10   # 30 students answer a lesson question
    python bench/load.py --url ... --sessions 8 --heavy 3 --alone 60 --seconds 150   # sliders alone, then 3 hogs
    python bench/load.py --url ... --train-hogs 3 --hold 20      # a small training alone, then among 3 heavy ones

Loopback servers only. Prints per-action latency (p50 / p95 / max), client-side errors and exceptions, and
the server's RSS and thread count over time (read from /proc/<pid>/status; --pid, else found by port).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from playground.labs import LABS, lab
from playground.limits import CHOICES
from testkit import loadboard, loadheavy, loadlesson, loadtrain, loaduploads
from testkit.loadstats import Recorder, ServerProbe, pids_listening
from testkit.server import streamlit_server
from testkit.stclient import ERROR_ALERT, Tab

SLIDERS = {"slider_kernel": ("w.net.layers.0.kernel", (1, 3, 5, 7)), "slider_stride": ("w.net.layers.0.stride", (1, 2))}
QUEUED = "Waiting for a free place"  # start of train.queued (en)
YOURS = CHOICES["train.dataset"].index("yours")  # "Your pictures": the radio sends its option index
READ_ZIP = re.compile(r"Read the zip: \d+ classes, (\d+) pictures")  # own.added_zip (en)
FINISHED = ("Finished:", "Stopped")  # train.done / train.stopped (en)


class Student:
    """One tab and its script: open the link, pick a sample, drag sliders, step, maybe train."""

    def __init__(self, n: int, args, rec: Recorder, gate: loadboard.Gate | None = None):
        self.n, self.args, self.rec, self.gate = n, args, rec, gate
        self.rng = random.Random(n)
        self.tab = Tab(args.url, timeout=args.timeout)

    async def act(self, name: str, coro):
        """Time one action; record its latency, exceptions and error alerts; None if it failed.

        With --alone, a normal student's action is named by the phase it started in: "@alone" before the
        heavy tabs start, "@hogs" after.
        """
        start = time.perf_counter()
        if self.args.alone and not name.startswith("heavy"):
            name += "@alone" if start < self.args.hogs_at else "@hogs"
        try:
            run = await coro
        except Exception as exc:  # noqa: BLE001 - every client-side failure is a finding to report
            self.rec.error(name, f"session {self.n}: {type(exc).__name__}: {exc}")
            return None
        self.rec.latency(name, time.perf_counter() - start)
        for text in run.exceptions:
            self.rec.error(name, f"session {self.n}: exception element: {text}")
        for text in run.texts(ERROR_ALERT):
            self.rec.message(name, text)
        return run

    async def think(self):
        """A student's pause between two actions."""
        low, high = self.args.think
        await asyncio.sleep(self.rng.uniform(low, high))

    async def arrive(self) -> bool:
        """Open the teacher's link and pick a sample picture."""
        run = await self.act("open_link", self.tab.open("", self.args.query))
        if run is None:
            return False
        await self.think()
        options = self.tab.widgets["w.image.sample"][0].options
        return await self.act("pick_sample", self.tab.set("w.image.sample", self.rng.randrange(len(options)))) is not None

    async def layer_lab(self, drags: int):
        """Open the Layer lab and release the kernel / stride sliders a few times."""
        if await self.act("open_layer_lab", self.tab.open(lab("layer_lab").url_path)) is None:
            return
        for _ in range(drags):
            await self.think()
            name = self.rng.choice(tuple(SLIDERS))
            key, values = SLIDERS[name]
            if key in self.tab.widgets:
                await self.act(name, self.tab.set(key, self.rng.choice(values)))

    async def conv_steps(self, steps: int):
        """Open the step-through and press Step a few times."""
        if await self.act("open_conv_steps", self.tab.open(lab("conv_steps").url_path)) is None:
            return
        for _ in range(steps):
            await self.think()
            await self.act("step", self.tab.click("b.steps.forward"))

    async def train(self):
        """Open the Training lab (fresh stack settings), start a short run and watch it to the end."""
        if await self.act("open_training", self.tab.open(lab("training").url_path)) is None:
            return
        await self.act("set_epochs", self.tab.set("w.train.epochs", self.args.epochs))
        started = time.perf_counter()
        run = await self.act("start_training", self.tab.click("b.train.start"))
        if run is None:
            return
        if not self.tab.auto:
            self.rec.error("start_training", f"session {self.n}: no live panel after Start: {run.texts()}")
            return
        if await self.watch(started) and self.gate is not None:
            await loadboard.publish(self, self.gate)
        elif self.gate is not None:
            self.gate.leave()

    async def watch(self, started: float) -> bool:
        """Follow the live panel's run_every ticks until the run ends (True) or the time budget does."""
        queued = False
        while self.tab.auto and time.perf_counter() - started < self.args.train_timeout:
            fragment, interval = next(iter(self.tab.auto.items()))
            await asyncio.sleep(interval)
            run = await self.act("train_tick", self.tab.tick(fragment))
            if run is None:
                return False
            queued = queued or any(t.startswith(QUEUED) for t in run.texts())
            if any(t.startswith(FINISHED) for t in run.texts()):
                self.rec.training(time.perf_counter() - started, queued)
                if self.gate is not None and "w.view.board.nickname" not in self.tab.widgets:
                    await self.act("results", self.tab.rerun())  # the full page draws the results and the box
                return True
        self.rec.error("train_watch", f"session {self.n}: training not finished after {self.args.train_timeout:.0f} s")
        return False

    async def own_set(self, data: bytes) -> int:
        """Open the Training lab, choose "Your pictures" and read a zip into the tab's set; the pictures kept."""
        if await self.act("open_training", self.tab.open(lab("training").url_path)) is None:
            return 0
        if await self.act("choose_yours", self.tab.set("w.train.dataset", YOURS)) is None:
            return 0
        key = self.tab.key_starting("w.own.zip.")
        run = await self.act("upload_set", self.tab.upload(key, [("set.zip", data, "application/zip")]))
        read = [m for t in (run.texts() if run else []) if (m := READ_ZIP.search(t))]
        if not read:
            self.rec.error("upload_set", f"session {self.n}: no 'Read the zip' message: {run and run.texts()}")
            return 0
        return int(read[0].group(1))

    async def run(self, deadline: float, train_first: bool):
        """The whole visit, looping over the labs until the deadline."""
        try:
            if not await self.arrive():
                return
            if train_first:
                await self.train()
            while True:  # at least one round, then as many as fit before the deadline
                await self.layer_lab(self.args.drags)
                await self.conv_steps(self.args.steps)
                if time.perf_counter() >= deadline:
                    break
        finally:
            await self.tab.close()


async def classroom(args, rec: Recorder) -> None:
    """N students arriving over --ramp seconds; the first --trainings of them start a training.

    With --board a teacher makes a class board first and keeps it open; the students join it through the
    link and publish each finished training (all at once with --publish-together).
    """
    deadline = time.perf_counter() + args.seconds
    args.hogs_at = time.perf_counter() + args.alone  # --alone: the heavy tabs wait this long
    gate, teacher, stop = None, None, asyncio.Event()
    if args.board:
        code, teacher = await loadboard.create_board(args.url, args.timeout)
        args.query = "&".join(q for q in (f"class={code}", args.query) if q)
        gate = loadboard.Gate(min(args.trainings, args.sessions), args.publish_together)
        watcher = asyncio.create_task(loadboard.watch_board(teacher, rec, stop))

    async def one(n: int):
        await asyncio.sleep(args.ramp * n / max(1, args.sessions))
        if n < args.heavy:  # the first --heavy tabs only hammer the heaviest accepted stack
            await asyncio.sleep(max(0.0, args.hogs_at - time.perf_counter()))
            return await loadheavy.hammer(Student(n, args, rec, gate), deadline)
        await Student(n, args, rec, gate).run(deadline, n < args.heavy + args.trainings)

    await asyncio.gather(*(one(n) for n in range(args.sessions)))
    if teacher is not None:
        stop.set()
        await watcher
        await teacher.close()


async def arrival(args, rec: Recorder) -> None:
    """--sessions tabs open the link over --ramp seconds (then the --then pages) and stay until every one has
    its pages, then close."""
    tabs = [Student(n, args, rec) for n in range(args.sessions)]
    arrived = asyncio.Event()
    count = 0

    async def one(student: Student):
        nonlocal count
        await asyncio.sleep(args.ramp * student.n / max(1, args.sessions))
        try:
            if await student.act("open_link", student.tab.open("", args.query)) is not None:
                if args.distinct:  # a picture of its own: the largest working size, turned by its own angle
                    await student.act("long_side", student.tab.set("w.image.long_side", 1024))
                    await student.act("angle", student.tab.set("w.augment.angle", student.n % 360 - 180))
                for page in args.then:
                    await student.act(f"open_{page}", student.tab.open(page))
        finally:
            count += 1
            if count == len(tabs):
                arrived.set()
        await arrived.wait()
        await student.tab.close()

    await asyncio.gather(*(one(s) for s in tabs))


async def churn(args, rec: Recorder) -> None:
    """--churn tabs, --sessions at a time: open, go to the Layer lab, every third starts training, close."""
    pool = asyncio.Semaphore(args.sessions)

    async def one(n: int):
        async with pool:
            student = Student(n, args, rec)
            try:
                await student.act("open_link", student.tab.open("", args.query))
                await student.act("open_layer_lab", student.tab.open(lab("layer_lab").url_path))
                if n % 3 == 0 and await student.act("open_training", student.tab.open(lab("training").url_path)):
                    await student.act("start_training", student.tab.click("b.train.start"))
            finally:
                await student.tab.close()  # mid-training for every third tab

    await asyncio.gather(*(one(n) for n in range(args.churn)))


async def own_sets(args, rec: Recorder, zips: list[bytes]) -> None:
    """--own-sets tabs at once, each reads its own generated zip (to the per-tab cap), holds it --hold s, closes."""
    loaded: list[int] = []
    everyone = asyncio.Event()

    async def one(n: int):
        student = Student(n, args, rec)
        try:
            loaded.append(await student.own_set(zips[n]))
        except Exception as exc:  # noqa: BLE001 - a failure is a finding to report
            rec.error("own_set", f"session {n}: {type(exc).__name__}: {exc}")
            loaded.append(0)
        finally:
            if len(loaded) == len(zips):
                everyone.set()
        await everyone.wait()  # every tab holds its full set at the same time
        await asyncio.sleep(args.hold)
        await student.tab.close()

    await asyncio.gather(*(one(n) for n in range(len(zips))))
    rec.own_sets = loaded


def make_zips(args) -> list[bytes]:
    """One generated set per tab (seeded by the tab's number), 3 classes of --own-per-class photos, as JPEG zips."""
    from testkit.pictures import zip_set

    return [zip_set(args.own_per_class, seed=n) for n in range(args.own_sets)]


async def warm_up(url: str) -> None:
    """One tab visits every page once, so imports and caches are warm before anything is measured."""
    tab = Tab(url, timeout=180)
    try:
        for page in ("", *(item.url_path for item in LABS[1:] if item.exercises)):  # the board needs a class
            await tab.open(page)
    finally:
        await tab.close()


WARM_VISITS = 5


async def warm_visitor(url: str, query: str, visits: int = WARM_VISITS) -> float:
    """Median seconds one session needs to open the default page on this (now warm) server: a new tab each time."""
    times = []
    for _ in range(visits):
        tab = Tab(url)
        try:
            start = time.perf_counter()
            await tab.open("", query)
            times.append(time.perf_counter() - start)
        finally:
            await tab.close()
    return float(np.median(times))


async def later_visitor(url: str, wait: float) -> None:
    """One more tab opens and closes (Streamlit expires stored sessions only when its store changes), then wait."""
    tab = Tab(url)
    try:
        await tab.open("")
    finally:
        await tab.close()
    await asyncio.sleep(min(wait, 35))  # one period of playground/ui/runtime/housekeeping.py's collector


def parse(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default="http://127.0.0.1:8501")
    p.add_argument("--pid", type=int, action="append", help="server process id(s); default: whoever listens on the port")
    p.add_argument("--sessions", type=int, default=5)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--ramp", type=float, default=10, help="seconds over which the sessions arrive")
    p.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    p.add_argument("--drags", type=int, default=4, help="slider releases per Layer lab visit")
    p.add_argument("--steps", type=int, default=3, help="Step presses per step-through visit")
    p.add_argument("--trainings", type=int, default=0, help="how many of the sessions start a training first")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--train-timeout", type=float, default=300)
    p.add_argument("--churn", type=int, default=0, help="open and close this many tabs instead of a class")
    p.add_argument("--own-sets", type=int, default=0, help="this many tabs each read a generated picture set (zip)")
    p.add_argument("--own-per-class", type=int, default=167, help="photos per class in each set (3 classes; 501 > cap)")
    p.add_argument("--uploads", type=int, default=0, help="this many tabs each upload the largest accepted picture")
    p.add_argument("--hold", type=float, default=10, help="own sets / uploads: seconds every tab keeps its data")
    p.add_argument("--settle", type=float, default=20, help="churn: seconds to wait before the last memory reading")
    p.add_argument("--board", action="store_true", help="a teacher makes a class board; trained runs are published")
    p.add_argument("--publish-together", action="store_true", help="--board: everyone publishes at the same moment")
    p.add_argument("--heavy", type=int, default=0, help="this many of the sessions hammer the heaviest accepted stack")
    p.add_argument("--db", default=os.environ.get("PLAYGROUND_DB", ""), help="the server's board database (--watchers, --replay)")
    p.add_argument("--watchers", type=int, default=0, help="this many tabs watch a board of --entries entries")
    p.add_argument("--entries", type=int, default=2000, help="--watchers: entries on the watched board")
    p.add_argument("--releases", type=int, default=20, help="--watchers: slider releases per phase")
    p.add_argument("--trickle", type=float, default=5.0, help="--watchers: seconds between two new entries")
    p.add_argument("--answers", type=int, default=0, help="this many students answer one lesson question (--db)")
    p.add_argument("--window", type=float, default=10.0, help="--answers: seconds within which they all answer")
    p.add_argument("--replay", type=int, default=0, help="publish one run, then replay its Publish trigger this often")
    p.add_argument("--alone", type=float, default=0,
                   help="--heavy: the other students work alone this many seconds first (actions named @alone / @hogs)")
    p.add_argument("--train-hogs", type=int, default=0,
                   help="a small training alone, then again while this many tabs run the heaviest accepted training")
    p.add_argument("--query", default="", help="the teacher's share-link query string (without '?')")
    p.add_argument("--timeout", type=float, default=60)
    p.add_argument("--sample", type=float, default=1.0, help="seconds between server readings")
    p.add_argument("--no-warmup", dest="warmup", action="store_false", help="measure from a cold server")
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    p.add_argument("--arrival", action="store_true", help="the sessions only open the link (and stay until all have)")
    p.add_argument("--then", nargs="*", default=[], metavar="PAGE",
                   help="--arrival: each tab then opens these pages (layer_lab, conv_steps, training) before closing")
    p.add_argument("--distinct", action="store_true",
                   help="--arrival: every tab sets working size 1024 and its own rotation angle (nothing shared)")
    p.add_argument("--serve", nargs="?", const="serve.py", metavar="SCRIPT",
                   help="start a fresh `streamlit run SCRIPT` (serve.py: warmed before it answers; or app.py) "
                        "on a free loopback port for this run (ignores --url)")
    args = p.parse_args(argv)
    host = urlparse(args.url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        p.error("load runs only against a loopback server you started yourself")
    return args


async def main_async(args) -> dict:
    """Run the chosen mode with the server probe alongside; return the report."""
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(64))
    pids = args.pid or pids_listening(urlparse(args.url).port or 80)
    rec, probe = Recorder(), ServerProbe(pids, args.sample)
    sampler = asyncio.create_task(probe.run())
    if args.warmup:
        await warm_up(args.url)
    await asyncio.sleep(args.sample)
    warm = probe.snapshot()
    if args.own_sets:
        zips = await asyncio.to_thread(make_zips, args)
        warm = probe.snapshot()  # after making the zips: "before" is the server with no set loaded
        await own_sets(args, rec, zips)
        await asyncio.sleep(args.settle)
        await later_visitor(args.url, args.settle)
    elif args.uploads:
        await loaduploads.uploads(args, rec, Student)
        await asyncio.sleep(args.settle)
        await later_visitor(args.url, args.settle)
    elif args.train_hogs:
        await loadtrain.train_hogs(args, rec, Student)
    elif args.churn:
        await churn(args, rec)
        await asyncio.sleep(args.settle)
        await later_visitor(args.url, args.settle)
    elif args.arrival:
        await arrival(args, rec)
        rec.warm_open = await warm_visitor(args.url, args.query)  # the arrival's baseline, same server, same run
        if args.then:  # memory: the tabs have closed; a later visitor, then the reaper's collection
            await asyncio.sleep(args.settle)
            await later_visitor(args.url, args.settle)
    elif args.watchers:
        await loadboard.watched(args, rec, Student)
    elif args.replay:
        await loadboard.replayed(args, rec, Student)
    elif args.answers:
        await loadlesson.answers(args, rec, Student)
    else:
        await classroom(args, rec)
        rec.warm_open = await warm_visitor(args.url, args.query)
    final = probe.snapshot()
    sampler.cancel()
    return rec.report(probe, warm, final, vars(args))


def main(argv=None) -> int:
    """Print the report; exit 1 if any client saw an error."""
    args = parse(argv)
    load_start = os.getloadavg()
    with ExitStack() as stack:
        if args.serve:
            log = Path(tempfile.mkdtemp(prefix="playground-load-")) / "server.log"
            args.url, _ = stack.enter_context(streamlit_server(log, args.serve))
            print(f"fresh server at {args.url}, log {log}")
        report = asyncio.run(main_async(args))
    report["load_average"] = {"start": load_start, "end": os.getloadavg()}  # 1 / 5 / 15 min: how busy the machine was
    print(Recorder.format(report))
    print("load average (1 / 5 / 15 min) start {:.2f} / {:.2f} / {:.2f}, end {:.2f} / {:.2f} / {:.2f}".format(
        *load_start, *report["load_average"]["end"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
