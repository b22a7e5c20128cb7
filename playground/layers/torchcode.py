"""'Show PyTorch code': plain torch that builds the same nn.Sequential (same weights) and prints each shape."""
from __future__ import annotations

from playground.layers.families import call
from playground.layers.kinds import kind, out_channels
from playground.model import layer_seed
from playground.spec import LayerSpec, NetSpec


def _call(layer: LayerSpec, c: int) -> str:
    """nn.<Class>(keyword=value, ...) with the registry's arguments: the same call the playground makes."""
    return call(kind(layer.kind), layer, c)


_COMMENTS = {"batchnorm": "  # uses this image's own statistics", "dropout": "  # off in eval(): the maps pass unchanged"}


def _layer_lines(name: str, layer: LayerSpec, c: int, seed: int) -> list[str]:
    """One module as code, as its family writes it (layers with weights: their seed, hand-designed weights)."""
    entry = kind(layer.kind)
    lines = entry.family.code_lines(name, layer, entry, c, seed)
    return [*lines[:-1], lines[-1] + _COMMENTS.get(layer.kind, "")] if layer.kind in _COMMENTS else lines


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
