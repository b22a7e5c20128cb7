"""'Show PyTorch code': plain torch that builds the same nn.Sequential (same weights) and prints each shape."""
from __future__ import annotations

from playground.layers.kernels import kernel_of
from playground.layers.kinds import CONV, kind, out_channels
from playground.model import layer_seed
from playground.spec import LayerSpec, NetSpec


def _num(v: float) -> str:
    """Shortest text that reads back as the same float32."""
    return repr(float(v))


def _kernel_literal(layer: LayerSpec) -> str:
    """torch.tensor([[...], ...]) of the layer's hand-designed kernel."""
    rows = ", ".join("[" + ", ".join(_num(v) for v in row) + "]" for row in kernel_of(layer))
    return f"torch.tensor([{rows}])"


def _call(layer: LayerSpec, c: int) -> str:
    """nn.<Class>(keyword=value, ...) with the registry's arguments: the same call the playground makes."""
    entry = kind(layer.kind)
    args = ", ".join(f"{k}={_arg(v)}" for k, v in entry.args(layer, c).items())
    return f"nn.{entry.torch_name}({args})"


def _arg(value) -> str:
    """A keyword argument's value as Python source."""
    if isinstance(value, float):
        return _num(value)
    return repr(value).replace("'", '"')


def _conv_lines(name: str, layer: LayerSpec, c: int, seed: int) -> list[str]:
    """Build a Conv2d; hand-designed kernels then overwrite the random weights."""
    lines = [f"torch.manual_seed({seed})  # same seed as the playground: same random weights",
             f"{name} = {_call(layer, c)}"]
    if layer.init == "random":
        return lines
    target = f"{name}.weight[o, :]" if layer.combine == "sum" else f"{name}.weight[o, o % {c}]"
    lines += [f"kernel = {_kernel_literal(layer)}  # {layer.init}, {layer.kernel}×{layer.kernel}",
              "with torch.no_grad():",
              f"    {name}.weight.zero_()",
              f"    for o in range({layer.out_channels}):",
              f"        {target} = kernel"]
    return lines + ([f"    {name}.bias.zero_()"] if layer.bias else [])


_COMMENTS = {"batchnorm": "  # uses this image's own statistics", "dropout": "  # off in eval(): the maps pass unchanged"}


def _layer_lines(name: str, layer: LayerSpec, c: int, seed: int) -> list[str]:
    """One module as code; conv layers get their own lines (seed and hand-designed weights)."""
    if kind(layer.kind).family == CONV:
        return _conv_lines(name, layer, c, seed)
    return [f"{name} = {_call(layer, c)}{_COMMENTS.get(layer.kind, '')}"]


def stack_code(net: NetSpec, in_shape: tuple[int, int, int]) -> str:
    """Runnable code: build the stack, push a (1, C, H, W) input through it, print each layer's output shape."""
    lines = ["import torch", "from torch import nn", ""]
    names, c = [], in_shape[0]
    for i, layer in enumerate(net.layers, start=1):
        name = f"layer{i}"
        lines.append(f"# Layer {i}: {kind(layer.kind).torch_name}")
        lines += _layer_lines(name, layer, c, layer_seed(net.seed, i)) + [""]
        names.append(name)
        c = out_channels(layer, c)
    lines += [
        f"model = nn.Sequential({', '.join(names)}).eval()",
        "",
        f"x = torch.rand(1, {', '.join(map(str, in_shape))})  # or the Image lab's tensor: shape (1, C, H, W)",
        "with torch.no_grad():",
        "    for i, layer in enumerate(model, start=1):",
        "        x = layer(x)",
        "        print(f\"layer {i} {type(layer).__name__}: {tuple(x.shape)}\")",
    ]
    return "\n".join(lines) + "\n"
