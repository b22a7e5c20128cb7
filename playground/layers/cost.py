"""Compute of a layer stack before it runs: work per layer, estimated CPU time, and the compute budgets.

Counts per picture and layer (shapes (C, H, W) from playground/layers/shapes.py, H'·W' the output):
- operations: conv C_out·H'·W'·C_in·k² multiply-adds (MACs); max / average pooling C·H'·W'·k² window reads;
  every other kind C·H·W values;
- gathered (conv only): C_in·k²·H'·W', the inputs each output position reads, whatever C_out is; this is
  what makes a conv with one output channel 15× slower per MAC than one with 64;
- written: C_out·H'·W' output values; read: C_in·H·W input values (layout reorders, fresh memory pages);
- positions (conv only): H'·W', a fixed cost per output position that dominates convs with few channels.
Seconds = Σ rate × count, with single-thread rates per family fitted by bench/bench_cost.py on the
classroom server (2 cores, shared). A pooling window read costs about 100 conv
MACs here: oneDNN's conv uses AVX-512, PyTorch's pooling does not.

A Layer lab release also draws every layer's maps as one tiled JPEG (playground/tiles.py): DRAW_VALUE_NS per
map value (min / max, shrink) plus DRAW_PIXEL_NS per pixel of the tiled picture (colour map, labels, JPEG),
counted at the large-tile view (4 columns, the most pixels), and added to the layer's cost.

Budgets: FORWARD_BUDGET_S for one picture through the stack and its pictures (a Layer lab rerun); STEP_BUDGET_S for a training
step (Stop acts between steps) and RUN_BUDGET_S for a whole run (it holds one of the server's training places).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from playground.errors import SpecError
from playground.layers import kinds as K
from playground.layers.families import Family, Rate
from playground.tilegrid import LARGE_COLS, grid_shape, tile_scale

# Measured by bench/bench_cost.py (load ≈ 8 on the 2 cores): a conv forward costs ≈ 13–16 ms per GMAC when its
# multiply-adds dominate; over 40 random stacks measured / estimated had median 1.0, max 2.6 (few-channel
# convs on 1024 px maps are the ones underestimated). Training ≈ 23 ms per GMAC of 3 × forward MACs × batch.
# Each family holds its rates (playground/layers/families.py): `forward`, a forward pass of one picture in
# inference mode, outputs kept (as the Layer lab keeps them), and `train`, a training step (forward, backward,
# Adam) per picture of the batch. FORWARD and TRAIN pick one of the two.
FORWARD, TRAIN = "forward", "train"
LAYER_OVERHEAD_S = 30e-6  # per layer and call: dispatch, oneDNN primitive lookup
# Drawing, fitted on 10 map shapes (1–128 channels, 16–1024 px; bench/bench_cost.py --draw): measured / estimated
# 0.84–1.16, single thread.
DRAW_VALUE_NS = 1.3
DRAW_PIXEL_NS = 24.0
FORWARD_BUDGET_S = 0.5  # estimated forward pass plus pictures: a Layer lab release's heavy work
TRAIN_LAYER_OVERHEAD_S = 235e-6  # per layer and step: forward, backward and optimizer dispatch
STEP_OVERHEAD_S = 350e-6  # per step: loss, optimizer, Python loop
STEP_BUDGET_S = 1.0  # Stop acts between steps: within about a second
RUN_BUDGET_S = 300.0  # a training place for at most about 5 min; the default stack's slowest settings take 49 s


@dataclass(frozen=True)
class LayerCost:
    """One layer's share of a pass over one picture: its operation count and estimated single-thread seconds."""

    index: int
    name: str  # the PyTorch class, e.g. "Conv2d"
    family: Family
    ops: int  # multiply-adds (conv), window reads (pooling) or values (the rest)
    seconds: float


def layer_ops(row) -> int:
    """Operations of one shape-table row (a LayerInfo) for one picture."""
    return row.family.counts(row)[0]


def layer_counts(row) -> tuple[int, int, int, int, int]:
    """(operations, values gathered, written, read, positions) of one row for one picture: what the rates multiply."""
    return row.family.counts(row)


def rate(row, rates: str = FORWARD) -> Rate:
    """The row's family's rate for a forward pass (FORWARD) or a training step (TRAIN)."""
    return row.family.train if rates == TRAIN else row.family.forward


def work_seconds(row, rates: str = FORWARD) -> float:
    """Seconds of one row's work for one picture at the given rates, without the per-call overhead."""
    r, counts = rate(row, rates), layer_counts(row)
    return sum(v * n for v, n in zip((r.op, r.gather, r.write, r.read, r.position), counts, strict=True)) * 1e-9


def layer_costs(rows, rates: str = FORWARD, overhead: float = LAYER_OVERHEAD_S) -> list[LayerCost]:
    """One LayerCost per row: what a pass over one picture costs, layer by layer."""
    return [LayerCost(r.index, r.name, r.family, layer_ops(r), work_seconds(r, rates) + overhead) for r in rows]


def forward_seconds(rows) -> float:
    """Estimated single-thread CPU seconds of one picture through the stack."""
    return sum(c.seconds for c in layer_costs(rows))


def draw_seconds(row) -> float:
    """Estimated single-thread seconds of drawing one layer's maps as its tiled JPEG (large tiles)."""
    c, h, w = row.out_shape
    rows, cols = grid_shape(c, LARGE_COLS)
    f = tile_scale(h, w, cols)
    th, tw = (max(1, h // round(1 / f)), max(1, w // round(1 / f))) if f < 1 else (round(h * f), round(w * f))
    return (DRAW_VALUE_NS * c * h * w + DRAW_PIXEL_NS * rows * (th + 2) * cols * (tw + 2)) * 1e-9


def release_costs(rows) -> list[LayerCost]:
    """One LayerCost per row for a Layer lab release: the layer's forward pass plus its picture."""
    return [replace(c, seconds=c.seconds + draw_seconds(r)) for c, r in zip(layer_costs(rows), rows, strict=True)]


def release_seconds(rows) -> float:
    """Estimated single-thread CPU seconds of a Layer lab release: forward pass and every layer's picture."""
    return sum(c.seconds for c in release_costs(rows))


def check_forward(rows, in_shape: tuple[int, int, int], pictures: bool = True) -> None:
    """SpecError when a release (forward pass, and pictures unless pictures=False) would exceed FORWARD_BUDGET_S;
    names the costliest layer and the fix."""
    costs = release_costs(rows) if pictures else layer_costs(rows)
    total = sum(c.seconds for c in costs)
    if total <= FORWARD_BUDGET_S:
        return
    top = max(costs, key=lambda c: c.seconds)
    row = rows[top.index - 1]
    raise SpecError(top.family.budget_key, ms=round(total * 1000), budget_ms=round(FORWARD_BUDGET_S * 1000),
                    layer=top.index, kind=top.name, mops=millions(top.ops), share=round(100 * top.seconds / total),
                    c=row.out_shape[0], c_in=row.in_shape[0], k=row.kernel, s=row.stride, w=in_shape[2], h=in_shape[1])


def millions(n: int) -> float | int:
    """A count in millions, 3 significant figures (for messages)."""
    m = n / 1e6
    return round(m) if m >= 100 else float(f"{m:.3g}")


@dataclass(frozen=True)
class TrainCost:
    """Estimated single-thread CPU time of a training run, and its costliest layer."""

    step_s: float  # one optimizer step on a full batch
    run_s: float  # every step plus the validation pass after each epoch
    steps: int
    top: LayerCost  # costliest layer of a training step


def train_cost(rows, head_macs: int, batch: int, steps: int, epochs: int, n_val: int) -> TrainCost:
    """Cost of training a stack (rows at the training input size) with a Linear head of head_macs multiply-adds."""
    costs = layer_costs(rows, TRAIN, TRAIN_LAYER_OVERHEAD_S)
    head = K.CONV.train.op * head_macs * 1e-9
    step = STEP_OVERHEAD_S + TRAIN_LAYER_OVERHEAD_S * (len(rows) + 2) + batch * (sum(map(_work, costs)) + head)
    chunks = -(-n_val // 512)  # evaluate() predicts the validation split in chunks of 512
    val = epochs * (n_val * sum(work_seconds(r, FORWARD) for r in rows) + chunks * LAYER_OVERHEAD_S * len(rows))
    top = max(costs, key=lambda c: c.seconds) if costs else LayerCost(0, "Linear", K.CONV, head_macs, head)
    return TrainCost(step, steps * step + val, steps, top)


def _work(cost: LayerCost) -> float:
    return cost.seconds - TRAIN_LAYER_OVERHEAD_S


def check_training(cost: TrainCost, batch: int, epochs: int, size: int) -> None:
    """SpecError when a step or the run exceeds its budget; names the costliest layer and what to lower."""
    common = {"layer": cost.top.index, "kind": cost.top.name, "batch": batch, "size": size, "epochs": epochs}
    if cost.step_s > STEP_BUDGET_S:
        raise SpecError("budget.train_step", step_s=round(cost.step_s, 1), max_s=STEP_BUDGET_S, **common)
    if cost.run_s > RUN_BUDGET_S:
        raise SpecError("budget.train_run", minutes=round(cost.run_s / 60, 1), max_minutes=round(RUN_BUDGET_S / 60),
                        steps=cost.steps, **common)
