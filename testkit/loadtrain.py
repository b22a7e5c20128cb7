"""Load: --train-hogs N tabs start the heaviest training the budget accepts; one student's small training is
timed alone first, then again while the N heavy runs go: a small run must not wait behind heavy ones.

Per phase: Start → the first live-panel tick without "Waiting for a free place" (started), and Start →
"Finished". A first small run warms the process up (its first optimizer imports torch._dynamo). Each heavy
tab must show its run started within --hold seconds (an error otherwise); they are stopped by closing their
tabs at the end.
"""
from __future__ import annotations

import asyncio
import time

from playground.labs import lab
from playground.spec import PipelineSpec

# Six 32-channel 5×5 "same" convs, 32 px, batch 8, 23 epochs: estimated 291 s of the 300 s run budget
# (playground/layers/cost.py RUN_BUDGET_S), each step 0.06 s. Learning rate 0.0003: at the default 0.003 the
# loss explodes within 10 steps and the divergence rule ends the run.
HEAVY_TRAINING = PipelineSpec.from_dict({
    "net": {"layers": [{"kind": "conv", "out_channels": 32, "kernel": 5, "same": True}] * 6},
    "train": {"size": 32, "batch": 8, "epochs": 23, "lr": 0.0003}})
SMALL_TRAINING = PipelineSpec().set("train.epochs", 1)  # the default stack, digits, one epoch
QUEUED = "Waiting for a free place"  # start of train.queued (en)
FINISHED = ("Finished:", "Stopped")  # train.done / train.stopped (en)


def query(spec: PipelineSpec) -> str:
    """A spec as a share-link query string."""
    return "&".join(f"{k}={v}" for k, v in spec.to_query().items())


async def start(student, spec: PipelineSpec, label: str):
    """Open the Training lab on spec's link and press Start; the perf_counter time of the press, or None."""
    tab = student.tab
    if await student.act(f"{label}_open", tab.open(lab("training").url_path, query(spec))) is None:
        return None
    pressed = time.perf_counter()
    if await student.act(f"{label}_start", tab.click("b.train.start")) is None or not tab.auto:
        student.rec.error(label, f"session {student.n}: no live panel after Start")
        return None
    return pressed


async def follow(student, pressed: float, label: str, until_finished: bool, timeout: float) -> bool:
    """Tick the live panel; record Start → started (and → finished). False when the time ran out."""
    tab, started = student.tab, False
    while tab.auto and time.perf_counter() - pressed < timeout:
        fragment, interval = next(iter(tab.auto.items()))
        await asyncio.sleep(interval)
        run = await tab.tick(fragment)
        texts = run.texts()
        if not started and not any(t.startswith(QUEUED) for t in texts):
            started = True
            student.rec.latency(f"{label}_started", time.perf_counter() - pressed)
            if not until_finished:
                return True
        if any(t.startswith(FINISHED) for t in texts):
            student.rec.latency(f"{label}_finished", time.perf_counter() - pressed)
            return True
    student.rec.error(label, f"session {student.n}: not {'finished' if started else 'started'} after {timeout:.0f} s")
    return False


async def small_run(student, label: str, timeout: float) -> None:
    """One small training from Start to Finished."""
    pressed = await start(student, SMALL_TRAINING, label)
    if pressed is not None:
        await follow(student, pressed, label, True, timeout)


async def train_hogs(args, rec, student_cls) -> None:
    """The small training alone, then --train-hogs heavy runs, then the small training again among them."""
    small = student_cls(0, args, rec)
    hogs = [student_cls(n + 1, args, rec) for n in range(args.train_hogs)]
    try:
        await small_run(small, "small_first", args.train_timeout)  # the process's first training imports more
        await small_run(small, "small@alone", args.train_timeout)
        pressed = await asyncio.gather(*(start(h, HEAVY_TRAINING, "heavy") for h in hogs))
        began = time.perf_counter()
        await asyncio.gather(*(follow(h, p, "heavy", False, args.hold) for h, p in zip(hogs, pressed, strict=True) if p))
        await asyncio.sleep(max(0.0, args.hold - (time.perf_counter() - began)))  # the heavy runs are under way
        await small_run(small, "small@hogs", args.train_timeout)
    finally:
        await asyncio.gather(small.tab.close(), *(h.tab.close() for h in hogs))
