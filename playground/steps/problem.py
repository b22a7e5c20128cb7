"""Step-by-step 2-D convolution and max / average pooling on a small grid: every window, product and sum.

Conventions (the same as torch.nn.functional):
- the input x is (C, H, W) with C = 1 or 3; a conv kernel is (C, k, k) and gives ONE output channel
  (the per-channel sums are added, then the bias); pooling works on each channel separately;
- padding adds a border of zeros; max pooling never picks a padding cell (torch pads with -inf);
  average pooling counts padding zeros in the divisor k×k (torch's count_include_pad=True);
- output size per axis: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1.
Validation raises SpecError with a `steps.*` key before torch could ever complain.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np

from playground.errors import SpecError
from playground.layers.shapes import out_size as output_size
from playground.limits import LIMITS, Limit

OPS = ("conv", "maxpool", "avgpool")
CHANNELS = (1, 3)
# The step-through's rows of the one limits table: they drive the page's sliders and this module's validation.
STEP_LIMITS: dict[str, Limit] = {k.split(".", 1)[1]: v for k, v in LIMITS.items() if k.startswith("steps.")}
MAX_ABS_VALUE = 1e6


@dataclass(frozen=True, eq=False)
class Problem:
    """One validated setting: the input, the kernel (conv only) and how the window slides."""

    op: str
    x: np.ndarray  # (C, H, W) float64
    weight: np.ndarray | None  # (C, k, k) float64 for conv, None for pooling
    kernel: int
    bias: float
    stride: int
    padding: int
    dilation: int

    @property
    def out_shape(self) -> tuple[int, int]:
        """(H', W') of the output grid."""
        _, h, w = self.x.shape
        return (output_size(h, self.kernel, self.stride, self.padding, self.dilation),
                output_size(w, self.kernel, self.stride, self.padding, self.dilation))

    @property
    def out_channels(self) -> int:
        """1 for conv (channels are summed), C for pooling (channels kept apart)."""
        return 1 if self.op == "conv" else self.x.shape[0]

    @property
    def count(self) -> int:
        """Number of steps: one per output position."""
        oh, ow = self.out_shape
        return oh * ow


@dataclass(frozen=True, eq=False)
class Step:
    """Everything shown at one output position."""

    index: int
    row: int  # output position
    col: int
    rows: tuple[int, ...]  # padded-grid rows the window samples (spaced by the dilation)
    cols: tuple[int, ...]
    values: np.ndarray  # (C, k, k) sampled values, 0 on padding
    products: np.ndarray | None  # (C, k, k) values × kernel, conv only
    channel_values: tuple[float, ...]  # conv / avg: per-channel sum; max: per-channel maximum
    total: float  # conv: sum over channels before the bias; pooling: sum of channel_values
    results: tuple[float, ...]  # conv: (total + bias,); pooling: one per channel
    chosen: tuple[tuple[int, int], ...]  # max pooling: padded (row, col) of each channel's winner


def _check_int(name: str, value) -> int:
    """An integer inside its STEP_LIMITS range, else SpecError steps.range.<name>."""
    lim = STEP_LIMITS[name]
    ok = isinstance(value, Integral) and not isinstance(value, bool) and lim.min <= value <= lim.max
    if not ok:
        raise SpecError(f"steps.range.{name}", value=value, min=lim.min, max=lim.max)
    return int(value)


def _check_values(arr, what: str) -> np.ndarray:
    """Finite numbers of moderate size, as float64."""
    arr = np.asarray(arr, dtype=np.float64)
    if not np.isfinite(arr).all() or (np.abs(arr) > MAX_ABS_VALUE).any():
        raise SpecError("steps.errors.bad_values", what=what, max=int(MAX_ABS_VALUE))
    return arr


def _check_input(x) -> np.ndarray:
    """(C, H, W) with C in CHANNELS and H, W within the size limits."""
    arr = np.asarray(x)
    if arr.ndim != 3 or arr.shape[0] not in CHANNELS:
        raise SpecError("steps.errors.channels", shape="×".join(map(str, arr.shape)))
    lim = STEP_LIMITS["size"]
    _, h, w = arr.shape
    if not (lim.min <= h <= lim.max and lim.min <= w <= lim.max):
        raise SpecError("steps.errors.grid_size", h=h, w=w, min=lim.min, max=lim.max)
    return _check_values(arr, "input")


def _check_weight(weight, channels: int) -> np.ndarray:
    """A (C, k, k) conv kernel matching the input's channel count."""
    if weight is None:
        raise SpecError("steps.errors.no_kernel")
    arr = np.asarray(weight)
    if arr.ndim != 3 or arr.shape[0] != channels or arr.shape[1] != arr.shape[2]:
        raise SpecError("steps.errors.kernel_shape", shape="×".join(map(str, arr.shape)), c=channels)
    _check_int("kernel", arr.shape[1])
    return _check_values(arr, "kernel")


def _check_fit(h: int, w: int, k: int, p: int, d: int) -> None:
    """The (dilated) window must fit inside the padded input."""
    hp, wp = h + 2 * p, w + 2 * p
    if k > min(hp, wp):
        raise SpecError("steps.errors.kernel_too_big", k=k, h=h, w=w, p=p, hp=hp, wp=wp)
    span = d * (k - 1) + 1
    if span > min(hp, wp):
        oh, ow = output_size(h, k, 1, p, d), output_size(w, k, 1, p, d)
        raise SpecError("steps.errors.no_output", k=k, d=d, span=span, hp=hp, wp=wp, oh=oh, ow=ow)


def make_problem(op: str, x, weight=None, kernel: int | None = None, bias: float = 0.0,
                 stride: int = 1, padding: int = 0, dilation: int = 1) -> Problem:
    """Validate one setting; conv takes its kernel size from the weight, pooling from `kernel`."""
    if op not in OPS:
        raise SpecError("steps.errors.bad_op", op=str(op)[:20])
    x = _check_input(x)
    s, p, d = _check_int("stride", stride), _check_int("padding", padding), _check_int("dilation", dilation)
    lim = STEP_LIMITS["bias"]
    if not isinstance(bias, Real) or not lim.min <= bias <= lim.max:
        raise SpecError("steps.range.bias", value=bias, min=lim.min, max=lim.max)
    if op == "conv":
        weight = _check_weight(weight, x.shape[0])
        k = weight.shape[1]
    else:
        weight, k = None, _check_int("kernel", kernel)
        if p > k // 2:
            raise SpecError("steps.errors.pool_padding", p=p, k=k, half=k // 2)
        if d != 1:
            raise SpecError("steps.errors.pool_dilation", d=d)
    _check_fit(x.shape[1], x.shape[2], k, p, d)
    return Problem(op, x, weight, k, float(bias) if op == "conv" else 0.0, s, p, d)


def padded(problem: Problem) -> np.ndarray:
    """The input with its zero border: (C, H + 2p, W + 2p)."""
    p = problem.padding
    return np.pad(problem.x, ((0, 0), (p, p), (p, p)))


def real_mask(problem: Problem) -> np.ndarray:
    """(H + 2p, W + 2p) booleans: True on input cells, False on the padding border."""
    _, h, w = problem.x.shape
    p = problem.padding
    mask = np.zeros((h + 2 * p, w + 2 * p), dtype=bool)
    mask[p:p + h, p:p + w] = True
    return mask


def window(problem: Problem, row: int, col: int) -> tuple[np.ndarray, np.ndarray]:
    """Padded-grid rows and columns sampled for output cell (row, col)."""
    offsets = problem.dilation * np.arange(problem.kernel)
    return row * problem.stride + offsets, col * problem.stride + offsets


def step(problem: Problem, index: int, grid: np.ndarray | None = None) -> Step:
    """The window, products, sums and result at output position `index` (row-major)."""
    oh, ow = problem.out_shape
    if not 0 <= index < oh * ow:
        raise SpecError("steps.errors.bad_index", index=index, count=oh * ow)
    grid = padded(problem) if grid is None else grid
    row, col = divmod(index, ow)
    rows, cols = window(problem, row, col)
    values = grid[:, rows][:, :, cols]  # (C, k, k)
    if problem.op == "conv":
        return _conv_step(problem, index, row, col, rows, cols, values)
    return _pool_step(problem, index, row, col, rows, cols, values)


def _conv_step(problem, index, row, col, rows, cols, values) -> Step:
    products = values * problem.weight  # (C, k, k)
    sums = tuple(float(v) for v in products.sum(axis=(1, 2)))
    total = float(sum(sums))
    return Step(index, row, col, tuple(map(int, rows)), tuple(map(int, cols)), values, products,
                sums, total, (total + problem.bias,), ())


def _pool_step(problem, index, row, col, rows, cols, values) -> Step:
    k = problem.kernel
    if problem.op == "avgpool":
        sums = tuple(float(v) for v in values.sum(axis=(1, 2)))
        results = tuple(v / (k * k) for v in sums)  # padding zeros count in the divisor
        return Step(index, row, col, tuple(map(int, rows)), tuple(map(int, cols)), values, None,
                    sums, float(sum(sums)), results, ())
    inside = real_mask(problem)[np.ix_(rows, cols)]  # padding never wins a max
    masked = np.where(inside, values, -np.inf)
    flat = masked.reshape(masked.shape[0], -1).argmax(axis=1)  # first maximum in row-major order
    chosen = tuple((int(rows[f // k]), int(cols[f % k])) for f in flat)
    maxima = tuple(float(masked[c].flat[f]) for c, f in enumerate(flat))
    return Step(index, row, col, tuple(map(int, rows)), tuple(map(int, cols)), values, None,
                maxima, float(sum(maxima)), maxima, chosen)


def steps(problem: Problem) -> list[Step]:
    """Every step, in the order the window slides (row by row)."""
    grid = padded(problem)
    return [step(problem, i, grid) for i in range(problem.count)]


def output(problem: Problem, upto: int | None = None) -> np.ndarray:
    """(C_out, H', W') results; cells after step `upto` are NaN (not computed yet)."""
    oh, ow = problem.out_shape
    out = np.full((problem.out_channels, oh, ow), np.nan)
    last = problem.count - 1 if upto is None else min(upto, problem.count - 1)
    grid = padded(problem)
    for i in range(last + 1):
        st_ = step(problem, i, grid)
        out[:, st_.row, st_.col] = st_.results
    return out
