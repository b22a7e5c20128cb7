"""Layer families: what a kind of layer does to a shape, a receptive field, a cost, a code line and a text.

A family groups kinds that behave alike (every activation keeps each value in place; max and average
pooling share their window rule). Every module outside playground/layers/ asks a kind's family instead of
testing which family it is:

- shape rule and geometry: `geometry`, `out_shape` (SpecError with our own message before torch could fail);
- receptive field: `back` (which input positions, along one axis, a set of outputs reads) and `field`
  (how the table's field size and step grow); `whole_map` when an output depends on the whole map;
- parameters and work: `params`, `out_channels`, `counts` (operations, values gathered, written, read,
  positions) and the single-thread `forward` / `train` rates fitted by bench/bench_cost.py;
- the code line and the text form: `code_lines` ("Show PyTorch code"), `text` (the exercises' PyTorch
  call, defaults left out), `word` (the class board's few characters);
- what the pages may do with it: `windowed` (the output-size formula applies), `hand_kernels`
  (hand-designed weights, the step-through), `cam_target` (Grad-CAM may read its maps), `weight_of`.

This module imports neither torch nor the spec (the spec takes its list of kinds from kinds.py, which
imports this); the few helpers that need them import them where they are used.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.errors import SpecError


@dataclass(frozen=True)
class Rate:
    """Single-thread nanoseconds per operation, per value gathered, written and read, per output position."""

    op: float
    gather: float = 0.0
    write: float = 0.0
    read: float = 0.0
    position: float = 0.0


def out_size(h: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1, PyTorch's rule for conv and pooling (floor mode)."""
    return (h + 2 * p - d * (k - 1) - 1) // s + 1


def adaptive_window(i: int, n_in: int, n_out: int) -> tuple[int, int]:
    """Inclusive input range [start, end] that output i of an adaptive pool over n_in cells averages (torch's rule)."""
    return (i * n_in) // n_out, -(-((i + 1) * n_in) // n_out) - 1


def adaptive_geometry(n_in: int, n_out: int) -> tuple[int, int]:
    """(largest window, smallest step) of an adaptive pool along one axis: what its receptive field grows by."""
    windows = [adaptive_window(i, n_in, n_out) for i in range(n_out)]
    size = max(b - a + 1 for a, b in windows)
    step = min((windows[i + 1][0] - windows[i][0] for i in range(n_out - 1)), default=n_in)
    return size, max(1, step)


def fail(key: str, i: int, kind, **params):
    """Raise SpecError("layers.<key>") naming the 1-based layer and its PyTorch kind."""
    raise SpecError(f"layers.{key}", layer=i, kind=kind.torch_name, **params)


def _taps(outputs: np.ndarray, k: int, s: int, p: int, d: int, n_in: int) -> np.ndarray:
    """Input positions (inside 0..n_in−1) that a window of k taps, step s, padding p, dilation d reads for outputs."""
    read = np.zeros(n_in, bool)
    idx = np.flatnonzero(outputs)
    if idx.size:
        taps = (idx[:, None] * s - p + np.arange(k) * d).ravel()
        read[taps[(taps >= 0) & (taps < n_in)]] = True
    return read


@dataclass(frozen=True)
class Field:
    """The receptive field of one layer's outputs along one axis: side and step in input pixels.

    uneven: the windows differ in size (an adaptive pool whose input does not divide evenly, a transposed conv
    whose kernel is not a multiple of its stride), `size` is then the largest.
    """

    size: int = 1
    jump: float = 1
    uneven: bool = False


class Family:
    """The behaviour shared by the kinds of one family; the defaults are those of a layer that keeps each value."""

    name = "pointwise"
    own_channels = False  # the layer sets its own number of output channels (out_channels)
    windowed = False  # its output size follows ⌊(H + 2p − d(k − 1) − 1) / s⌋ + 1
    hand_kernels = False  # its weights may be hand-designed (init / combine); the step-through steps it
    cam_target = False  # Grad-CAM may read its maps (a layer with learned spatial weights)
    elementwise = True  # keeps (C, H, W) and every value in its place: Grad-CAM may read past it
    pooling = False
    whole_map = False  # each output depends on every position of its input map (statistics of the picture; in
    # training, of the whole batch: such a stack is not cut into parts)
    budget_key = "budget.forward_map"  # the message naming this layer as the costliest
    forward = Rate(3.0)
    train = Rate(3.0, 0.0, 3.0)

    def __repr__(self) -> str:
        return self.name

    # shape
    def geometry(self, layer) -> tuple[int, int, int, int]:
        """(kernel, stride, left padding, dilation) of its window; a layer without one is (1, 1, 0, 1)."""
        return 1, 1, 0, 1

    def out_shape(self, i: int, layer, kind, shape: tuple[int, int, int]) -> tuple[int, int, int]:
        """(C, H, W) it hands on for a (C, H, W) input; SpecError naming layer i when it cannot run."""
        return shape

    def out_channels(self, layer, c: int) -> int:
        return layer.out_channels if self.own_channels else c

    def params(self, layer, c: int) -> int:
        """Trainable parameters for c input channels."""
        return 0

    # receptive field
    def back(self, row, outputs: np.ndarray, axis: int) -> np.ndarray:
        """Input positions (a bool mask over the input along axis 1 = H or 2 = W) that the outputs in the mask read."""
        if self.whole_map:
            return np.ones(row.in_shape[axis], bool) if outputs.any() else np.zeros(row.in_shape[axis], bool)
        return outputs.copy()

    def field(self, row, axis: int, before: Field) -> Field:
        """The receptive field of the row's outputs along one axis, from the field of its inputs."""
        k, s, _, d = row.kernel, row.stride, row.padding, row.dilation
        return Field(before.size + d * (k - 1) * before.jump, before.jump * s, before.uneven)

    # work
    def counts(self, row) -> tuple[int, int, int, int, int]:
        """(operations, values gathered, written, read, positions) for one picture: what the rates multiply."""
        c_in, h, w = row.in_shape
        c, oh, ow = row.out_shape
        return c_in * h * w, 0, c * oh * ow, c_in * h * w, 0

    # code and text
    def code_lines(self, name: str, layer, kind, c: int, seed: int) -> list[str]:
        """'Show PyTorch code' lines that build this layer as the playground does."""
        return [f"{name} = {call(kind, layer, c)}"]

    def text(self, layer, kind, c: int) -> str:
        """The layer as PyTorch writes it, defaults left out: 'Conv2d(3, 16, kernel_size=3, padding=1)'."""
        return f"{kind.torch_name}({', '.join(f'{k}={v}' for k, v in kind.args(layer, c).items())})"

    def word(self, layer, kind) -> str:
        """The layer in a few characters for the class board: 'ReLU', 'LeakyReLU 0.1' (its one setting, if any)."""
        args = kind.args(layer, 0)
        return f"{kind.torch_name} {next(iter(args.values())):g}" if len(args) == 1 else kind.torch_name

    # weights
    def hand_weight(self, layer, c: int):
        """The (out, in, k, k) hand-designed weight that replaces the random one, or None."""
        return None

    def weight_of(self, module, channel: int):
        """The (in, k, k) weights that make output channel `channel` of a built module, or None without weights."""
        return None


def call(kind, layer, c: int) -> str:
    """nn.<Class>(keyword=value, ...) with the registry's arguments: the same call the playground makes."""
    args = ", ".join(f"{k}={_arg(v)}" for k, v in kind.args(layer, c).items())
    return f"nn.{kind.torch_name}({args})"


def _arg(value) -> str:
    """A keyword argument's value as Python source (floats as the shortest text that reads back the same)."""
    if isinstance(value, float):
        return repr(float(value))
    return repr(value).replace("'", '"')


class Dropout(Family):
    name = "dropout"
    forward = Rate(0.0)


class Norm(Family):
    """BatchNorm with the picture's own statistics: every output reads its whole channel."""

    name = "norm"
    whole_map = True
    forward = Rate(5.0)
    train = Rate(8.0, 0.0, 3.0)

    def out_shape(self, i, layer, kind, shape):
        if shape[1] * shape[2] == 1:
            fail("bn_single", i, kind)
        return shape

    def params(self, layer, c):
        return 2 * c  # a scale and a shift per channel

    def text(self, layer, kind, c):
        return f"{kind.torch_name}({c})"


class Windowed(Family):
    """Shared by convs and pooling: a k×k window moved with stride s over the padded input."""

    windowed = True
    elementwise = False

    def _check(self, i, layer, kind, h, w) -> None:
        """Family-specific checks before the common size rule."""

    def out_shape(self, i, layer, kind, shape):
        c, h, w = shape
        k, s, p, d = self.geometry(layer)
        self._check(i, layer, kind, h, w)
        span = d * (k - 1) + 1
        if span > min(h, w) + 2 * p:
            fail("kernel_too_big", i, kind, k=k, span=span, h=h + 2 * p, w=w + 2 * p, p=p)
        return self.out_channels(layer, c), out_size(h, k, s, p, d), out_size(w, k, s, p, d)

    def back(self, row, outputs, axis):
        return _taps(outputs, row.kernel, row.stride, row.padding, row.dilation, row.in_shape[axis])


class Conv(Windowed):
    name = "conv"
    own_channels = True
    hand_kernels = True
    cam_target = True
    budget_key = "budget.forward_conv"
    # Measured by bench/bench_cost.py (see playground/layers/cost.py).
    forward = Rate(0.013, 0.25, 3.0, 1.0, 20.0)
    train = Rate(0.026, 0.4, 4.5, 10.0)

    def geometry(self, layer):
        pad = layer.dilation * (layer.kernel - 1) // 2 if layer.same else layer.padding
        return layer.kernel, layer.stride, pad, layer.dilation

    def _check(self, i, layer, kind, h, w):
        from playground.layers.kernels import check_kernel

        if layer.same and layer.stride > 1:
            fail("same_stride", i, kind, s=layer.stride)
        check_kernel(layer, i)

    def out_shape(self, i, layer, kind, shape):
        if layer.same:  # torch pads d(k − 1) in total: the size is kept
            self._check(i, layer, kind, shape[1], shape[2])
            return layer.out_channels, shape[1], shape[2]
        return super().out_shape(i, layer, kind, shape)

    def params(self, layer, c):
        return layer.out_channels * c * layer.kernel ** 2 + (layer.out_channels if layer.bias else 0)

    def counts(self, row):
        c_in, h, w = row.in_shape
        c, oh, ow = row.out_shape
        return c * oh * ow * c_in * row.kernel ** 2, c_in * row.kernel ** 2 * oh * ow, c * oh * ow, c_in * h * w, oh * ow

    def code_lines(self, name, layer, kind, c, seed):
        from playground.layers.kernels import kernel_of

        lines = [f"torch.manual_seed({seed})  # same seed as the playground: same random weights",
                 f"{name} = {call(kind, layer, c)}"]
        if layer.init == "random":
            return lines
        if layer.init == "sized":
            from playground.layers.kernels import SIZED, sized_kernels

            grids = ", ".join("[" + ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in kernel) + "]"
                              for kernel in sized_kernels(layer.kernel))
            lines += [f"kernels = torch.tensor([{grids}])  # {', '.join(SIZED)}, {layer.kernel}×{layer.kernel}",
                      "with torch.no_grad():",
                      f"    for o in range({layer.out_channels}):",
                      f"        {name}.weight[o, :] = kernels[o % 4] / {c}  # the mean of the input channels"]
            return lines + ([f"    {name}.bias.zero_()"] if layer.bias else [])
        rows = ", ".join("[" + ", ".join(repr(float(v)) for v in row) + "]" for row in kernel_of(layer))
        target = f"{name}.weight[o, :]" if layer.combine == "sum" else f"{name}.weight[o, o % {c}]"
        lines += [f"kernel = torch.tensor([{rows}])  # {layer.init}, {layer.kernel}×{layer.kernel}",
                  "with torch.no_grad():",
                  f"    {name}.weight.zero_()",
                  f"    for o in range({layer.out_channels}):",
                  f"        {target} = kernel"]
        return lines + ([f"    {name}.bias.zero_()"] if layer.bias else [])

    def text(self, layer, kind, c):
        parts = [str(c), str(layer.out_channels), f"kernel_size={layer.kernel}"]
        parts += [f"stride={layer.stride}"] if layer.stride != 1 else []
        parts += ["padding='same'"] if layer.same else [f"padding={layer.padding}"] if layer.padding else []
        parts += [f"dilation={layer.dilation}"] if layer.dilation != 1 else []
        parts += ["bias=False"] if not layer.bias else []
        return f"{kind.torch_name}({', '.join(parts)})"

    def word(self, layer, kind):
        extra = [f"s{layer.stride}"] * (layer.stride > 1) + [f"d{layer.dilation}"] * (layer.dilation > 1)
        extra += ["same"] if layer.same else [f"p{layer.padding}"] * (layer.padding > 0)
        return " ".join([f"{kind.torch_name} {layer.out_channels}@{layer.kernel}×{layer.kernel}", *extra])

    def hand_weight(self, layer, c):
        from playground.layers.kernels import conv_weight

        return conv_weight(layer, c)

    def weight_of(self, module, channel):
        return module.weight[channel].detach().numpy()  # (out, in, k, k) -> (in, k, k)


class Pool(Windowed):
    name = "pool"
    pooling = True
    budget_key = "budget.forward_pool"
    forward = Rate(1.5, 0.0, 25.0, 1.7)
    train = Rate(3.0, 0.0, 3.0, 5.5)

    def geometry(self, layer):
        return layer.kernel, layer.stride, layer.padding, 1

    def _check(self, i, layer, kind, h, w):
        if 2 * layer.padding > layer.kernel:
            fail("pool_padding", i, kind, p=layer.padding, k=layer.kernel, max_p=layer.kernel // 2)

    def counts(self, row):
        c_in, h, w = row.in_shape
        c, oh, ow = row.out_shape
        return c * oh * ow * row.kernel ** 2, 0, c * oh * ow, c_in * h * w, 0

    def text(self, layer, kind, c):
        parts = [f"kernel_size={layer.kernel}", f"stride={layer.stride}"]
        parts += [f"padding={layer.padding}"] if layer.padding else []
        return f"{kind.torch_name}({', '.join(parts)})"

    def word(self, layer, kind):
        extra = [f"s{layer.stride}"] * (layer.stride != layer.kernel) + [f"p{layer.padding}"] * (layer.padding > 0)
        return " ".join([f"{kind.torch_name} {layer.kernel}", *extra])


class Adaptive(Family):
    """Adaptive average pooling: out_size × out_size windows whose edges torch works out from the input."""

    name = "adaptive"
    pooling = True
    elementwise = False
    forward = Rate(0.7, 0.0, 90.0)
    train = Rate(2.0, 0.0, 3.0)

    def out_shape(self, i, layer, kind, shape):
        c, h, w = shape
        n = layer.out_size
        if n > min(h, w):
            fail("adaptive_too_big", i, kind, n=n, h=h, w=w, max_n=min(h, w))
        return c, n, n

    def back(self, row, outputs, axis):
        n_in, n_out = row.in_shape[axis], row.out_shape[axis]
        read = np.zeros(n_in, bool)
        for o in np.flatnonzero(outputs):
            a, b = adaptive_window(int(o), n_in, n_out)
            read[a:b + 1] = True
        return read

    def field(self, row, axis, before):
        n_in, n_out = row.in_shape[axis], row.out_shape[axis]
        size, step = adaptive_geometry(n_in, n_out)
        return Field(before.size + (size - 1) * before.jump, before.jump * step, before.uneven or n_in % n_out != 0)


class TransposedConv(Family):
    """ConvTranspose2d: each input value stamps a k×k kernel onto the output, s pixels apart; the map grows.

    Output side (H − 1)·s − 2p + d(k − 1) + 1; output o reads inputs i with i·s − p + j·d = o, j in 0..k−1.
    """

    name = "transposed"
    own_channels = True
    cam_target = True
    elementwise = False
    budget_key = "budget.forward_conv"
    # Twice a conv's rates per multiply-add (C_in·H·W·C_out·k², the count of the conv it undoes), value gathered
    # and position: oneDNN's transposed conv ran about 1.9× a conv's rates (bench/bench_cost.py --transposed).
    forward = Rate(0.026, 0.5, 3.0, 1.0, 40.0)
    train = Rate(0.052, 0.8, 4.5, 10.0)

    def geometry(self, layer):
        return layer.kernel, layer.stride, layer.padding, 1

    def out_shape(self, i, layer, kind, shape):
        c, h, w = shape
        k, s, p, d = self.geometry(layer)
        oh, ow = ((n - 1) * s - 2 * p + d * (k - 1) + 1 for n in (h, w))
        if oh <= 0 or ow <= 0:
            fail("transposed_empty", i, kind, oh=oh, ow=ow, h=h, w=w, p=p)
        return layer.out_channels, oh, ow

    def params(self, layer, c):
        return c * layer.out_channels * layer.kernel ** 2 + (layer.out_channels if layer.bias else 0)

    def back(self, row, outputs, axis):
        k, s, p, d, n_in = row.kernel, row.stride, row.padding, row.dilation, row.in_shape[axis]
        read = np.zeros(n_in, bool)
        idx = np.flatnonzero(outputs)
        if idx.size:
            num = idx[:, None] + p - np.arange(k) * d  # i·s for each output and tap
            ok = num % s == 0
            i = num[ok] // s
            read[i[(i >= 0) & (i < n_in)]] = True
        return read

    def field(self, row, axis, before):
        span, s = row.dilation * (row.kernel - 1) + 1, row.stride
        taps = -(-span // s)  # the most inputs one output reads along an axis
        jump = before.jump / s
        return Field(before.size + (taps - 1) * before.jump, int(jump) if jump == int(jump) else jump,
                     before.uneven or span % s != 0)

    def counts(self, row):
        c_in, h, w = row.in_shape
        c, oh, ow = row.out_shape
        return c_in * h * w * c * row.kernel ** 2, c * row.kernel ** 2 * h * w, c * oh * ow, c_in * h * w, h * w

    def code_lines(self, name, layer, kind, c, seed):
        return [f"torch.manual_seed({seed})  # same seed as the playground: same random weights",
                f"{name} = {call(kind, layer, c)}"]

    def text(self, layer, kind, c):
        parts = [str(c), str(layer.out_channels), f"kernel_size={layer.kernel}"]
        parts += [f"stride={layer.stride}"] if layer.stride != 1 else []
        parts += [f"padding={layer.padding}"] if layer.padding else []
        parts += ["bias=False"] if not layer.bias else []
        return f"{kind.torch_name}({', '.join(parts)})"

    def word(self, layer, kind):
        extra = [f"s{layer.stride}"] * (layer.stride > 1) + [f"p{layer.padding}"] * (layer.padding > 0)
        return " ".join([f"{kind.torch_name} {layer.out_channels}@{layer.kernel}×{layer.kernel}", *extra])

    def weight_of(self, module, channel):
        return module.weight[:, channel].detach().numpy()  # (in, out, k, k) -> (in, k, k)


CONV, POOL, ADAPTIVE, POINTWISE, NORM, DROPOUT, TRANSPOSED = (
    Conv(), Pool(), Adaptive(), Family(), Norm(), Dropout(), TransposedConv())
FAMILIES = (CONV, POOL, ADAPTIVE, POINTWISE, NORM, DROPOUT, TRANSPOSED)
