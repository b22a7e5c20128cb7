"""Benchmark (Training lab): how fast Stop acts, what a rerun after a run costs, the estimate before Start.

Run from the repo root:  PYTHONPATH=. python bench/bench_training_lab.py [--stops 3]
Prints, each against a baseline measured in the same run:
- Stop mid-epoch on the heaviest step the budget accepts: seconds from stop() to the worker's end / one step;
- Stop during the validation pass (a heavy stack at batch 8): the wait now, in chunks of eval_chunk(batch),
  against one 512-picture chunk (what the validation pass did before);
- a rerun after a finished run: the cached validation predictions against predicting the split again;
- the estimate shown before Start against the measured training time, raw and scaled by the rate meter.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import torch
from torch import nn

from playground.spec import LayerSpec as L
from playground.spec import PipelineSpec
from playground.training import budget
from playground.training import results as R
from playground.training.loop import eval_chunk, evaluate
from playground.training.queue import TrainQueue
from playground.training.trainer import TRAIN_THREADS, Trainer
from playground.ui.runs import TrainLab

# The heaviest step the budget accepts among 4-conv stacks (estimate ≈ 0.97 s of the 1.0 s step budget).
HEAVY_STEP = (PipelineSpec().set("net.layers", tuple(L("conv", 32, 7, same=True) for _ in range(4)))
              .set("train.batch", 128).set("train.size", 32).set("train.epochs", 3)
              .set("train.optimizer", "sgd").set("train.lr", 1e-4))
# A heavy stack at the smallest batch: each validation picture costs much more than a step's share.
HEAVY_VAL = (PipelineSpec().set("net.layers", tuple(L("conv", 64, 11, same=True) for _ in range(3)))
             .set("train.batch", 8).set("train.size", 32).set("train.epochs", 2)
            .set("train.optimizer", "sgd").set("train.lr", 1e-4))  # slow and steady: no divergence ends it first


def wait_steps(trainer: Trainer, n: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while len(trainer.snapshot().step_loss) < n and time.monotonic() < deadline:
        time.sleep(0.005)


def stop_latency(trainer: Trainer) -> float:
    """Seconds from stop() to the end of the worker (which must still be training when Stop comes)."""
    assert trainer.snapshot().state == "running", f"the run ended before Stop: {trainer.snapshot().state}"
    t0 = time.perf_counter()
    trainer.stop()
    trainer.join()
    return time.perf_counter() - t0


def mid_epoch(stops: int, whole: bool = False) -> None:
    """Stop at a random moment inside a step of the heaviest accepted step (whole: one part, as before)."""
    waits, steps = [], []
    for _ in range(stops):
        trainer = Trainer(HEAVY_STEP, queue=TrainQueue(1))
        if whole:
            trainer.slices = 1
        trainer.start()
        wait_steps(trainer, 3)
        time.sleep(random.uniform(0.0, 2.0))
        waits.append(stop_latency(trainer))
        h = trainer.snapshot()
        steps.append(h.seconds / max(1, len(h.step_loss)))
    probe = Trainer(HEAVY_STEP, queue=TrainQueue(1))
    est, parts = probe.cost.step_s, 1 if whole else probe.slices
    step, wait = statistics.median(steps), statistics.median(waits)
    print(f"Stop mid-epoch (4× conv 32 7×7, 32 px, batch 128 in {parts} parts; step estimate {est:.2f} s): "
          f"median wait {wait:.2f} s, "
          f"max {max(waits):.2f} s; measured step {step:.2f} s; wait / step = {wait / step:.2f}")


def during_validation() -> None:
    """Stop as the validation pass begins; baseline: one 512-picture chunk (the old validation pass)."""
    trainer = Trainer(HEAVY_VAL, queue=TrainQueue(1), max_train=48).start()
    per_epoch = trainer.snapshot().steps_per_epoch
    wait_steps(trainer, per_epoch)  # the last step of epoch 1 is done: the validation pass runs now
    time.sleep(random.uniform(0.5, 3.0))  # Stop pressed somewhere inside the validation pass
    wait = stop_latency(trainer)
    data, model = trainer.data, trainer.trained_model()
    x, y = torch.from_numpy(data.to_input(data.val_pixels)), torch.from_numpy(data.val_labels.copy())
    torch.set_num_threads(TRAIN_THREADS)
    t0 = time.perf_counter()
    evaluate(model, x[:512], y[:512], nn.CrossEntropyLoss(), chunk=512)
    old = time.perf_counter() - t0
    chunk = eval_chunk(HEAVY_VAL.train.batch)
    print(f"Stop during validation (3× conv 64 11×11, batch 8, {len(y)} validation pictures): wait {wait:.2f} s "
          f"(chunks of {chunk}); one chunk of {min(512, len(y))} as before: {old:.2f} s; ratio {old / max(wait, 1e-3):.1f}×")


def rerun_cost() -> None:
    """A rerun after a run: the cached predictions against predicting the validation split again."""
    lab = TrainLab()
    trainer = lab.start(PipelineSpec().set("train.epochs", 1))
    trainer.join()
    lab.val_probs(trainer)  # the one prediction of the run
    t0 = time.perf_counter()
    for _ in range(20):
        lab.val_probs(trainer)
    cached = (time.perf_counter() - t0) / 20
    data, model = trainer.data, lab.model(trainer)
    t0 = time.perf_counter()
    R.predict(model, data.to_input(data.val_pixels))
    again = time.perf_counter() - t0
    print(f"Rerun after a finished run (default stack, digits, {len(data.val_labels)} validation pictures): "
          f"cached {cached * 1e6:.1f} µs, predicting again {again * 1000:.1f} ms; ratio {again / cached:.0f}×")


def estimates() -> None:
    """Estimate before Start against the measured training seconds; the meter's factor follows the server."""
    meter = budget.RateMeter()
    for spec in (PipelineSpec().set("train.epochs", 2), PipelineSpec().set("train.epochs", 2).set("train.batch", 128),
                 PipelineSpec().set("train.epochs", 1).set("train.size", 32)):
        trainer = Trainer(spec, queue=TrainQueue(1))
        scaled = trainer.cost.run_s * meter.factor()
        trainer.start().join()
        h = trainer.snapshot()
        meter.record(h.seconds, trainer.cost.run_s, len(h.step_loss))
        t, raw = spec.train, trainer.cost.run_s
        print(f"Estimate (size {t.size}, batch {t.batch}, {t.epochs} epochs): raw {raw:.1f} s, "
              f"with the meter {scaled:.1f} s, measured {h.seconds:.1f} s; measured / raw = {h.seconds / raw:.2f}, "
              f"measured / shown = {h.seconds / scaled:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=3)
    args = parser.parse_args()
    print(f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores, torch {torch.__version__}")
    mid_epoch(args.stops, whole=True)  # the baseline: whole batches, Stop only between steps
    mid_epoch(args.stops)
    during_validation()
    rerun_cost()
    estimates()


if __name__ == "__main__":
    main()
