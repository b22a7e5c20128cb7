"""'Your image' on a digit model: a new picture prepared like the data set against the plain resize.

    python bench/bench_prepare.py --digits 300

Trains the app's default digits run (16 px, 6 epochs), then puts validation digits through a "photo" (dark ink
on light paper, any size, anywhere, sensor noise; tests/test_prepare.py draws the same) and reports: accuracy
with prepare.for_dataset and with the plain datasets.fit_image (the baseline, what the page did before), the
familiarity verdicts on those digits, and the verdicts and distances for the photos bundled as samples.
"""
from __future__ import annotations

import argparse
import time

import cv2
import numpy as np
from sklearn.datasets import load_digits

from playground.image.samples import load_sample
from playground.spec import PipelineSpec
from playground.training import datasets, familiar, prepare
from playground.training import results as R
from playground.training.queue import TrainQueue
from playground.training.trainer import Trainer


def photo_of(grid: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A (260, 320, 3) photo of an (8, 8) uint8 digit: smooth dark strokes on light paper, placed anywhere."""
    side = int(rng.integers(60, 170))
    big = cv2.resize(grid, (side, side), interpolation=cv2.INTER_LINEAR).astype(np.float64)
    img = np.full((260, 320), 230.0)
    y, x = int(rng.integers(0, 260 - side)), int(rng.integers(0, 320 - side))
    img[y:y + side, x:x + side] = 230.0 - 200.0 * big / 255.0
    return np.repeat(np.clip(img + rng.normal(0, 8, img.shape), 0, 255).astype(np.uint8)[..., None], 3, axis=2)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--digits", type=int, default=300, help="validation digits to photograph")
    args = p.parse_args()
    spec = PipelineSpec().set("train.epochs", 6)
    t0 = time.perf_counter()
    trainer = Trainer(spec, queue=TrainQueue(1)).start()
    trainer.join()
    model, ds = trainer.trained_model(), trainer.data
    print(f"digits run: val accuracy {100 * trainer.snapshot().epochs[-1]['val_acc']:.1f} %, "
          f"{time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    cal = prepare.calibration_pictures(ds, "digits")
    fam = familiar.fit(ds, cal, R.predict(model, ds.to_input(cal)))
    print(f"familiarity limits: distance {fam.distance_limit:.3f}, confidence {100 * fam.confidence_limit:.0f} % "
          f"({time.perf_counter() - t0:.2f} s)")
    digits = load_digits()
    _, val = datasets.split(len(digits.target), spec.train.val_fraction, spec.train.seed)
    rng, right, plain, kinds = np.random.default_rng(7), 0, 0, []
    for i in val[:args.digits]:
        photo = photo_of(np.rint(digits.images[i] * 255 / 16).astype(np.uint8), rng)
        got = prepare.for_dataset(photo, ds, "digits")
        probs = R.predict(model, ds.to_input(got.pixels[None]))[0]
        right += int(probs.argmax() == digits.target[i])
        kinds.append(familiar.judge(fam, got.pixels, probs).kind)
        plain += int(R.predict(model, ds.to_input(datasets.fit_image(photo, ds)[None]))[0].argmax() == digits.target[i])
    n = min(args.digits, len(val))
    print(f"{n} photographed validation digits: prepared {100 * right / n:.1f} % right, plain resize "
          f"{100 * plain / n:.1f} % (ratio {right / max(1, plain):.1f}×)")
    print("  verdicts: " + ", ".join(f"{k} {kinds.count(k)}" for k in ("like", "unsure", "unlike")))
    for name in ("china", "flower"):
        got = prepare.for_dataset(load_sample(name), ds, "digits")
        probs = R.predict(model, ds.to_input(got.pixels[None]))[0]
        v = familiar.judge(fam, got.pixels, probs)
        print(f"sample photo {name!r}: {v.kind}, distance {v.distance:.3f} (limit {v.distance_limit:.3f}), "
              f"top class {int(probs.argmax())} at {100 * v.confidence:.0f} %")


if __name__ == "__main__":
    main()
