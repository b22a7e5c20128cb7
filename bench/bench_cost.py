"""Compute budget: time layers, stacks and training steps against playground/layers/cost.py's estimates.

Run from the repo root:  python bench/bench_cost.py [--quick] [--seed 0]     (about 30 min; --quick about 10)
1. Single layers on a grid (conv: C_in, C_out, kernel, stride, 256 / 1024 px; pooling, adaptive, activations,
   BatchNorm, dropout at 128–1024 px): CPU time of this thread, 1 torch thread, best of the repeats. Fits the
   forward rates of cost.py (ns per operation, gathered, written and read value) by non-negative least
   squares (relative error) and prints them beside cost.py's, with measured / estimated ratios.
2. Random stacks and every lesson and ready stack (stack_maps, as the Layer lab runs it, the last results
   kept alive as the page keeps them): measured / estimated, and the largest working side each fits at.
3. A heavy stack (five 64-channel 11×11 convs on 1024 px): the estimate, the refusal, one timed run.
4. Training steps (the Trainer's train_step, Adam): fits cost.py's TRAIN rates; one real Trainer run.
5. The same forward with torch's default threads: CPU seconds against 1 thread.
CPU time, not wall time: the machine is shared, and CPU time barely moves with other users' load.
"""
from __future__ import annotations

import argparse
import itertools
import os
import time

import numpy as np
import torch
from scipy.optimize import nnls
from torch import nn

from playground.classroom.lessons import LESSONS
from playground.errors import SpecError
from playground.layers import cost, families
from playground.layers.shapes import validate
from playground.layers.stacks import READY_STACKS
from playground.model import build_classifier, build_model, make_layer, stack_maps
from playground.spec import LayerSpec as L
from playground.spec import NetSpec, PipelineSpec
from playground.training.queue import TrainQueue
from playground.training.trainer import DEFAULT_TRAIN_STACK, Trainer, make_optimizer, train_step

FAMILIES = families.FAMILIES
PARTS = ("op", "gather", "write", "read", "position")
BUDGET = cost.FORWARD_BUDGET_S  # the budget under study; switched off while measuring past it
cost.FORWARD_BUDGET_S = float("inf")


def cpu_seconds(call, min_total: float = 0.02, repeats: int = 3) -> float:
    """Best-of-repeats CPU seconds of this thread per call (calls repeated until min_total has passed)."""
    call()  # warm up: oneDNN builds its primitive on the first call
    best = float("inf")
    for _ in range(repeats):
        n, t0 = 0, time.thread_time()
        while True:
            call()
            n += 1
            spent = time.thread_time() - t0
            if spent >= min_total:
                break
        best = min(best, spent / n)
    return best


def grid(quick: bool) -> list[tuple[L, tuple[int, int, int]]]:
    """(layer, input shape) of the single-layer grid."""
    out = []
    sizes = (256, 1024) if not quick else (128,)
    for size, cin, cout, k, s in itertools.product(sizes, (1, 3, 16, 64), (1, 8, 64), (1, 3, 7, 11), (1, 2)):
        if cout * cin * k * k * ((size - k) // s + 1) ** 2 <= 3e10:
            out.append((L("conv", cout, k, stride=s), (cin, size, size)))
    for size, c in itertools.product((128, 512, 1024) if not quick else (256, 1024), (1, 8, 64)):
        if c * size * size > 64 * 512 * 512:
            continue
        out += [(L(kind, kernel=k, stride=s), (c, size, size)) for kind in ("maxpool", "avgpool")
                for k in (2, 3, 5, 11) for s in sorted({1, 2, k})]
        out += [(L("adaptiveavgpool", out_size=n), (c, size, size)) for n in (1, 4, 16)]
        out += [(L(kind), (c, size, size)) for kind in ("relu", "leakyrelu", "sigmoid", "tanh", "gelu", "elu",
                                                          "batchnorm", "dropout")]
    return out


def features(rows, rates_of=lambda family: family) -> np.ndarray:
    """Per stack: the four counts per family, then the layer calls: the fit's columns (cost.py's order)."""
    out = np.zeros(len(FAMILIES) * len(PARTS) + 1)
    for r in rows:
        i = len(PARTS) * FAMILIES.index(rates_of(r.family))
        out[i:i + len(PARTS)] += cost.layer_counts(r)
        out[-1] += 1
    return out


def as_vector(rates: str, overhead: float) -> np.ndarray:
    """The families' rates (cost.FORWARD or cost.TRAIN) in the column order of features(), in seconds."""
    return np.array([getattr(f.train if rates == cost.TRAIN else f.forward, p) * 1e-9 for f in FAMILIES for p in PARTS]
                    + [overhead])


def fit(feats: np.ndarray, secs: np.ndarray, relative: bool = True) -> np.ndarray:
    """Non-negative rates minimizing the summed squared relative error (or absolute: the big layers count most)."""
    weights = 1 / secs if relative else np.ones_like(secs)
    rates, _ = nnls(feats * weights[:, None], secs * weights)
    return rates


def ratios(label: str, measured, estimated, big: float = 0.02) -> None:
    m, e = np.asarray(measured), np.asarray(estimated)
    r, b = m / e, m > big
    text = f"{label}: measured / estimated over {len(r)}: median {np.median(r):.2f}, p90 {np.percentile(r, 90):.2f}, " \
           f"max {r.max():.2f}, min {r.min():.2f}"
    if b.any():
        text += f"; over {big * 1000:.0f} ms ({b.sum()}): median {np.median(r[b]):.2f}, max {r[b].max():.2f}"
    print(text)


def single_layers(quick: bool) -> None:
    """Part 1: the grid, the fit, the table of rates."""
    feats, secs = [], []
    for layer, shape in grid(quick):
        try:
            rows = validate(NetSpec((layer,)), shape)
        except SpecError:  # over the memory budget: the app never runs it
            continue
        module, x = make_layer(layer, shape[0]).eval(), torch.randn(1, *shape)
        with torch.inference_mode():
            secs.append(cpu_seconds(lambda m=module, x=x: m(x), repeats=2))
        feats.append(features(rows))
    feats, secs = np.array(feats), np.array(secs)
    fitted, absolute = fit(feats, secs), fit(feats, secs, relative=False)
    used = as_vector(cost.FORWARD, cost.LAYER_OVERHEAD_S)
    print("\n| family | ns per | fit, relative error | fit, absolute error | cost.py |\n| --- | --- | --- | --- | --- |")
    for i, (f, p) in enumerate(itertools.product(FAMILIES, PARTS)):
        if fitted[i] or absolute[i] or used[i]:
            print(f"| {f} | {p} | {fitted[i] * 1e9:.3g} | {absolute[i] * 1e9:.3g} | {used[i] * 1e9:.3g} |")
    print(f"| every layer | call (µs) | {fitted[-1] * 1e6:.1f} | {absolute[-1] * 1e6:.1f} | {used[-1] * 1e6:.1f} |")
    ratios("single layers, relative fit", secs, feats @ fitted)
    ratios("single layers, absolute fit", secs, feats @ absolute)
    ratios("single layers, cost.py", secs, feats @ used)


def time_stack(layers, shape, keep: list) -> tuple[list, float]:
    """(rows, CPU s) of stack_maps on the cached model, the last two results kept alive (fresh pages each call)."""
    net = NetSpec(tuple(layers))
    rows = validate(net, shape)
    model, x = build_model(net, shape[0]), torch.randn(1, *shape)

    def call():
        keep.append(stack_maps(model, x))
        del keep[:-2]

    return rows, cpu_seconds(call, min_total=0.05, repeats=2)


def random_stack(rng: np.random.Generator):
    """A random valid stack of 1–6 layers on a random square working size, estimated under 2 s."""
    pool = [layer for layer, _ in grid(False)]
    while True:
        side = int(rng.choice([128, 256, 512, 1024]))
        layers = tuple(pool[i] for i in rng.integers(0, len(pool), int(rng.integers(1, 7))))
        try:
            rows = validate(NetSpec(layers), (3, side, side))
        except SpecError:
            continue
        if cost.forward_seconds(rows) < 2.0:
            return layers, (3, side, side)


def named() -> dict[str, tuple[tuple[L, ...], int]]:
    out = {f"lesson {k}": (v.spec().net.layers, 1 if v.spec().image.grayscale else 3) for k, v in LESSONS.items()}
    return out | {f"stack {k}": (v, 3) for k, v in READY_STACKS.items()}


def largest_fitting(layers, c: int) -> int:
    """Largest square working side (32 … 1024, step 32) whose estimate is within the budget."""
    fits = [s for s in range(32, 1025, 32) if _fits(layers, (c, s, s))]
    return max(fits, default=0)


def _fits(layers, shape) -> bool:
    try:
        return cost.forward_seconds(validate(NetSpec(tuple(layers)), shape)) <= BUDGET
    except SpecError:  # the shape or memory check refuses it
        return False


def stacks(n: int, rng: np.random.Generator) -> None:
    """Part 2: random stacks, then the lessons and ready stacks."""
    keep: list = []
    pairs = [(s, cost.forward_seconds(rows)) for rows, s in (time_stack(*random_stack(rng), keep) for _ in range(n))]
    ratios("random stacks, cost.py", *zip(*pairs, strict=True))
    sizes = (256, 512, 1024)
    print("\n| stack | " + " | ".join(f"{s}² px ms: measured / estimated" for s in sizes) + " | largest side within budget |")
    print("| --- |" + " --- |" * (len(sizes) + 1))
    pairs = []
    for name, (layers, c) in named().items():
        cells = []
        for s in sizes:
            rows, secs = time_stack(layers, (c, s, s), keep)
            pairs.append((secs, cost.forward_seconds(rows)))
            cells.append(f"{secs * 1000:.1f} / {pairs[-1][1] * 1000:.1f}")
        print(f"| {name} | " + " | ".join(cells) + f" | {largest_fitting(layers, c)} |")
    ratios("lessons and ready stacks", *zip(*pairs, strict=True))


HEAVY = (L("conv", 64, 11), L("conv", 64, 11, stride=2), L("conv", 64, 11, stride=2), L("conv", 64, 11, stride=2),
         L("conv", 64, 11, stride=2))


def heavy() -> None:
    """Part 3: the heaviest stack that the memory budget accepts, on a 1024×683 picture."""
    shape = (3, 683, 1024)
    rows, secs = time_stack(HEAVY, shape, [])
    print(f"\nheavy stack on {shape}: estimated {cost.forward_seconds(rows):.2f} s, "
          f"measured {secs:.2f} s CPU (1 thread), budget {BUDGET:.2f} s")
    cost.FORWARD_BUDGET_S = BUDGET
    try:
        validate(NetSpec(HEAVY), shape)
    except SpecError as exc:
        print(f"refused: {exc.key} {exc.params}")
    finally:
        cost.FORWARD_BUDGET_S = float("inf")


def train_stack(rng: np.random.Generator) -> tuple[L, ...]:
    """A stack of 1–6 "same" convs (8–64 channels, kernel 3–11), with ReLUs, max pools or BatchNorms between."""
    layers = []
    for _ in range(int(rng.integers(1, 7))):
        layers.append(L("conv", int(rng.choice([8, 16, 32, 64])), int(rng.choice([3, 5, 7, 11])), same=True))
        layers += [L(str(rng.choice(["relu", "relu", "batchnorm", "maxpool"])), kernel=2, stride=2)][:int(rng.integers(0, 2))]
    return tuple(layers)


def training(n: int, rng: np.random.Generator) -> None:
    """Part 4: training steps against cost.py's TRAIN rates, a fit of them, and one real run."""
    named_ = [DEFAULT_TRAIN_STACK, LESSONS["normalize"].spec().net.layers, *READY_STACKS.values()]
    feats, secs, ests, macs = [], [], [], []
    while len(secs) < n:
        size, batch, c = int(rng.choice([8, 16, 24, 32])), int(rng.choice([8, 32, 64, 128, 256])), int(rng.choice([1, 3]))
        layers = named_[len(secs)] if len(secs) < len(named_) else train_stack(rng)
        try:
            model = build_classifier(NetSpec(layers), c, (size, size), 10)
        except SpecError:
            continue
        rows = validate(NetSpec(layers), (c, size, size))
        est = cost.train_cost(rows, model[-1].in_features * 10, batch, 1, 0, 0).step_s
        if est > 3.0:
            continue
        opt, loss_fn = make_optimizer(model, "adam", 1e-3, 0.0), nn.CrossEntropyLoss()
        x, y = torch.randn(batch, c, size, size), torch.randint(0, 10, (batch,))
        secs.append(cpu_seconds(lambda m=model, o=opt, f=loss_fn, x=x, y=y: train_step(m, o, f, x, y), min_total=0.1))
        feats.append(np.concatenate([batch * features(rows)[:-1], [1.0, len(rows) + 2]]))
        ests.append(est)
        macs.append(3 * batch * sum(cost.layer_ops(r) for r in rows if r.family.hand_kernels))
    feats, secs = np.array(feats), np.array(secs)
    fitted = fit(feats, secs)
    print("\n| training, family | ns per | fitted |\n| --- | --- | --- |")
    for i, (f, p) in enumerate(itertools.product(FAMILIES, PARTS)):
        if fitted[i]:
            print(f"| {f} | {p} | {fitted[i] * 1e9:.3g} |")
    print(f"| step | µs | {fitted[-2] * 1e6:.0f} |\n| layer | µs | {fitted[-1] * 1e6:.0f} |")
    ratios("training steps, fitted", secs, feats @ fitted)
    ratios("training steps, cost.py", secs, ests)
    heavy_steps = [(s, m) for s, m in zip(secs, macs, strict=True) if s > 0.05 and m > 0]
    print("training: ms per GMAC (3 × forward conv MACs × batch), steps over 50 ms: median "
          f"{np.median([s * 1e3 / (m / 1e9) for s, m in heavy_steps]):.1f}" if heavy_steps else "")
    real_run()


def real_run() -> None:
    """The default Training lab settings (digits, 16 px, default stack), 2 epochs: wall and CPU against the estimate."""
    spec = PipelineSpec().set("train.epochs", 2)
    trainer = Trainer(spec, queue=TrainQueue(1))
    t0, c0 = time.perf_counter(), time.process_time()
    trainer.start().join()
    print(f"real run, default settings, 2 epochs: estimated {trainer.cost.run_s:.1f} s, measured "
          f"{time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU of this process")


def threads_check() -> None:
    """Part 5: CPU seconds of a forward with torch's default threads against 1 thread."""
    layers, shape = READY_STACKS["classic"], (3, 683, 1024)
    net = NetSpec(layers)
    model, x = build_model(net, 3), torch.randn(1, *shape)
    out = {}
    for n in (1, os.cpu_count() or 1):
        torch.set_num_threads(n)
        stack_maps(model, x)
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(5):
            stack_maps(model, x)
        out[n] = ((time.process_time() - c0) / 5, (time.perf_counter() - t0) / 5)
    torch.set_num_threads(1)
    print("\nclassic stack, 1024×683: " + ", ".join(f"{n} thread(s): {c * 1000:.0f} ms CPU, {w * 1000:.0f} ms wall"
                                                  for n, (c, w) in out.items()))


def transposed() -> None:
    """ConvTranspose2d layers against the conv rates its family borrows, with plain convs measured alongside."""
    est_t, sec_t, est_c, sec_c = [], [], [], []
    for size, cin, cout, k, s in itertools.product((32, 128), (1, 8, 32), (1, 8, 32), (2, 3, 5), (1, 2)):
        for layer, ests, secs in ((L("convtranspose", cout, k, stride=s), est_t, sec_t),
                                  (L("conv", cout, k, stride=s), est_c, sec_c)):
            rows = validate(NetSpec((layer,)), (cin, size, size))
            module, x = make_layer(layer, cin).eval(), torch.randn(1, cin, size, size)
            with torch.inference_mode():
                secs.append(cpu_seconds(lambda m=module, x=x: m(x), repeats=2))
            ests.append(cost.forward_seconds(rows))
    ratios("ConvTranspose2d, its family's rates", sec_t, est_t, big=0.002)
    ratios("Conv2d, same grid", sec_c, est_c, big=0.002)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a smaller grid and fewer stacks (about 10 min)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--transposed", action="store_true", help="only the transposed-conv check (about 1 min)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.transposed:
        transposed()
        return
    rng = np.random.default_rng(args.seed)
    print(f"torch {torch.__version__}, 1 thread, CPUs: {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}")
    single_layers(args.quick)
    stacks(10 if args.quick else 40, rng)
    heavy()
    training(20 if args.quick else 60, rng)
    threads_check()


if __name__ == "__main__":
    main()
