"""Benchmark: the app's Trainer against a bare PyTorch loop (same model, data, batch), and the default run.

Run from the repo root:  python bench/bench_trainer.py [--repeats 3] [--seeds 5]
Prints samples/s of both (best of the repeats, alternating so machine load hits both alike) and, for the
default settings on digits, the validation accuracy and the wall time of each seed's run.
"""
from __future__ import annotations

import argparse
import os
import time

import torch
from torch import nn

from playground.spec import PipelineSpec
from playground.training.queue import TrainQueue
from playground.training.trainer import TRAIN_THREADS, Trainer, make_optimizer


def app_run(spec: PipelineSpec) -> tuple[float, Trainer]:
    """Wall seconds from start() to the end of the worker, and the trainer."""
    trainer = Trainer(spec, queue=TrainQueue(1))
    t0 = time.perf_counter()
    trainer.start().join()
    return time.perf_counter() - t0, trainer


def bare_run(spec: PipelineSpec) -> float:
    """The same model, data and batch in a plain loop (forward, loss, backward, step); wall seconds."""
    trainer = Trainer(spec, queue=TrainQueue(1))  # only to build the identical model and data
    model, data, tr = trainer.model, trainer.data, spec.train
    x = torch.from_numpy(data.to_input(data.train_pixels))
    y = torch.from_numpy(data.train_labels.copy())
    opt, loss_fn = make_optimizer(model, tr.optimizer, tr.lr, tr.weight_decay), nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(tr.seed)
    torch.set_num_threads(TRAIN_THREADS)
    t0 = time.perf_counter()
    model.train()
    for _ in range(tr.epochs):
        order = torch.randperm(len(y), generator=gen)
        for i in range(0, len(y), tr.batch):
            idx = order[i:i + tr.batch]
            loss = loss_fn(model(x[idx]), y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return time.perf_counter() - t0


def compare(spec: PipelineSpec, repeats: int) -> None:
    """Best-of-repeats samples/s of the app's trainer and the bare loop, alternating."""
    samples = len(Trainer(spec, queue=TrainQueue(1)).data.train_labels) * spec.train.epochs
    app_best = bare_best = float("inf")
    for _ in range(repeats):
        app_best = min(app_best, app_run(spec)[0])
        bare_best = min(bare_best, bare_run(spec))
    app_rate, bare_rate = samples / app_best, samples / bare_best
    print(f"app trainer: {app_rate:8.0f} samples/s  ({app_best:.2f} s, incl. per-epoch validation and filter snapshots)")
    print(f"bare loop:   {bare_rate:8.0f} samples/s  ({bare_best:.2f} s, training steps only)")
    print(f"ratio app / bare: {app_rate / bare_rate:.2f}")


def defaults(seeds: int) -> None:
    """The default settings on digits: final validation accuracy, first epoch ≥ 97 %, wall time."""
    for seed in range(seeds):
        wall, trainer = app_run(PipelineSpec().set("train.seed", seed))
        h = trainer.snapshot()
        first = next((e for e in h.epochs if e["val_acc"] >= 0.97), None)
        reach = f"epoch {first['epoch']} at {first['seconds']:.1f} s" if first else "never"
        print(f"seed {seed}: val acc {100 * h.epochs[-1]['val_acc']:.1f} % after {len(h.epochs)} epochs, "
              f"wall {wall:.1f} s (training {h.seconds:.1f} s); ≥ 97 % first at {reach}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"{TRAIN_THREADS} thread per training, device {'cuda' if torch.cuda.is_available() else 'cpu'}")
    spec = PipelineSpec()
    tr = spec.train
    print(f"\n== same model, data and batch: digits {tr.size}×{tr.size}, batch {tr.batch}, {tr.epochs} epochs, {tr.optimizer}")
    compare(spec, args.repeats)
    print("\n== default settings on digits")
    defaults(args.seeds)


if __name__ == "__main__":
    main()
