"""Benchmark: "Your pictures" with the small-set defaults on generated 3-class sets, and the memory of a full set.

Run from the repo root:  python bench/bench_ownset.py [--seeds 5] [--per-class 30] [--set train.size=24 ...]
For each seed: a new generated set (testkit/pictures.py: balls, boxes and sticks on varied noisy backgrounds,
through PNG bytes and the safe decoder), trained with small_set_defaults() (the baseline: the same set with
the app's plain defaults, measured in the same run), and the augmentation experiment's two arms. Then the
bytes of a full set (MAX_PICTURES generated photos; and of pure noise, the worst case for the PNG thumbnails),
and what a full set costs the page: building the data set, zip export and import, one phone photo.
"""
from __future__ import annotations

import argparse
import io
import os
import time

import numpy as np
from PIL import Image

from playground.image.decode import decode_image
from playground.spec import PipelineSpec
from playground.training import datasets
from playground.training.experiment import AugmentExperiment
from playground.training.ownset import MAX_BYTES, MAX_PICTURES, OwnSet, small_set_defaults
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer
from playground.training.zipset import read_zip, write_zip
from testkit.pictures import KINDS, own_set, picture_set

TABS = 30


def with_changes(spec: PipelineSpec, changes: dict) -> PipelineSpec:
    """spec with each dotted path set."""
    for path, value in changes.items():
        spec = spec.set(path, value)
    return spec


def parse_sets(pairs: list[str]) -> dict:
    """["train.size=24", ...] -> {"train.size": 24, ...} typed like the spec's field."""
    base, out = PipelineSpec(), {}
    for pair in pairs:
        path, raw = pair.split("=", 1)
        kind = type(base.get(path))
        out[path] = raw in ("1", "true") if kind is bool else kind(raw)
    return out


def train(spec: PipelineSpec, own: OwnSet) -> tuple[float, float, float, str]:
    """(final val acc, best val acc, wall seconds, state) of one run on the set."""
    data = datasets.load(spec.train, spec.norm.method, own=own)
    trainer = Trainer(spec, queue=TrainQueue(1), data=data)
    t0 = time.perf_counter()
    trainer.start().join()
    h = trainer.snapshot()
    accs = [e["val_acc"] for e in h.epochs] or [0.0]
    return accs[-1], max(accs), time.perf_counter() - t0, h.state


def accuracy(seeds: int, per_class: int, changes: dict) -> None:
    """Defaults against the plain app defaults, per seed, and the augmentation experiment."""
    small = with_changes(PipelineSpec(), {**small_set_defaults(), **changes})
    plain = PipelineSpec().set("train.dataset", "yours")
    print(f"small-set defaults: {small_set_defaults() | changes}")
    print("seed | defaults: final  best  seconds | plain app defaults: final  seconds | experiment: with  without  seconds")
    finals, times = [], []
    for seed in range(seeds):
        own = own_set(per_class, seed=1000 + seed)
        spec = small.set("train.seed", seed)
        final, best, secs, state = train(spec, own)
        p_final, _, p_secs, _ = train(plain.set("train.seed", seed), own)
        exp = AugmentExperiment(spec, datasets.load(spec.train, spec.norm.method, own=own), TrainQueue(1))
        t0 = time.perf_counter()
        exp.start().join()
        curves = exp.val_curves()
        finals.append(final)
        times.append(secs)
        print(f"{seed:4d} | {100 * final:5.1f} % {100 * best:5.1f} % {secs:6.1f} s ({state}) | {100 * p_final:5.1f} % "
              f"{p_secs:6.1f} s | {100 * curves['with'][-1]:5.1f} % {100 * curves['without'][-1]:5.1f} % "
              f"{time.perf_counter() - t0:6.1f} s")
    print(f"mean final {100 * np.mean(finals):.1f} %, min {100 * min(finals):.1f} %; "
          f"mean {np.mean(times):.1f} s, max {max(times):.1f} s; {sum(f >= 0.8 for f in finals)} of {seeds} seeds >= 80 %")


def memory() -> None:
    """Bytes of a full set of generated photos, and of pure-noise pictures (largest PNG thumbnails)."""
    per = MAX_PICTURES // len(KINDS)
    photos = picture_set(per + 1, seed=7)
    own = OwnSet(list(KINDS))
    for k, kind in enumerate(KINDS):
        for photo in photos[kind][: per + (1 if k < MAX_PICTURES % len(KINDS) else 0)]:
            own.add_pixels(k, photo)
    noise, rng = OwnSet(list(KINDS)), np.random.default_rng(0)
    try:
        while noise.total < MAX_PICTURES:
            noise.add_pixels(noise.total % len(KINDS), rng.integers(0, 256, (64, 64, 3), dtype=np.uint8))
        stopped = "the picture cap"
    except Exception as exc:  # the bytes cap binds first
        stopped = getattr(exc, "key", type(exc).__name__)
    for label, s in (("generated photos", own), ("pure noise", noise)):
        print(f"full set, {label}: {s.total} pictures, {s.stored_bytes / 2**20:.2f} MiB "
              f"({s.stored_bytes / max(1, s.total) / 1024:.1f} KiB each); {TABS} tabs: {TABS * s.stored_bytes / 2**20:.0f} MiB")
    print(f"pure noise stopped at: {stopped}; cap per tab {MAX_BYTES / 2**20:.0f} MiB -> {TABS} tabs at most "
          f"{TABS * MAX_BYTES / 2**20:.0f} MiB")


def timings() -> None:
    """Page-side costs on a full set: building the data set, zip export / import (baseline: decoding the same PNGs)."""
    own = OwnSet(list(KINDS))
    photos = picture_set(MAX_PICTURES // len(KINDS), seed=9)
    for k, kind in enumerate(KINDS):
        for photo in photos[kind]:
            own.add_pixels(k, photo)
    spec = with_changes(PipelineSpec(), small_set_defaults()).train
    build_s = median_time(lambda: datasets._own_dataset(own, spec, "minmax11"))  # what a cache miss costs
    load_s = median_time(lambda: datasets.load(spec, "minmax11", own=own))
    data = write_zip(own)
    pngs = [p.thumbnail for k in range(len(KINDS)) for p in own.pictures(k)]
    decode_s = median_time(lambda: [decode_image(b) for b in pngs])
    read_s = median_time(lambda: read_zip(data))
    print(f"full set of {own.total}: data set at 32 px built in {1000 * build_s:.0f} ms, from the cache "
          f"{1000 * load_s:.2f} ms; write_zip {len(data) / 2**20:.1f} MiB "
          f"in {1000 * median_time(lambda: write_zip(own)):.0f} ms; read_zip {1000 * read_s:.0f} ms against "
          f"{1000 * decode_s:.0f} ms for decoding the same PNGs alone (ratio {read_s / decode_s:.2f})")
    big = io.BytesIO()
    Image.fromarray(picture_set(1, seed=3)["ball"][0]).resize((4000, 3000)).save(big, "JPEG", quality=90)
    one = OwnSet()
    jpeg_s = median_time(lambda: one.delete_picture(one.add_picture(0, big.getvalue(), "phone.jpg").id))
    print(f"one 12 MP phone JPEG ({len(big.getvalue()) / 2**20:.1f} MiB): decoded and stored in {1000 * jpeg_s:.0f} ms")


def median_time(fn, repeats: int = 5) -> float:
    """Median wall seconds of fn()."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--per-class", type=int, default=30)
    parser.add_argument("--set", nargs="*", default=[], help="spec changes on top of the defaults: path=value")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    accuracy(args.seeds, args.per_class, parse_sets(args.set))
    memory()
    timings()


if __name__ == "__main__":
    main()
