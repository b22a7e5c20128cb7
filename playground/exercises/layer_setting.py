"""Which stack and layer a Layer lab question is about: the student's own when it fits, else a seeded practice stack.

ctx: in_shape = the (C, H, W) the Layer lab feeds the stack (default: the spec's channels × long side²),
layer = the 1-based layer the student looks at.
"""
from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

from playground.errors import Message, SpecError
from playground.exercises.answers import times
from playground.exercises.common import note, pick, rng_for
from playground.exercises.model import ExerciseError, Question
from playground.layers import kinds as K
from playground.layers.shapes import LayerInfo, validate
from playground.spec import LayerSpec, NetSpec, PipelineSpec

H = "exercises.hints."
MAX_SIDE = 4096


@dataclass(frozen=True)
class Setting:
    """The stack a question is about: its spec, input shape, validated rows and the 1-based layer asked."""

    net: NetSpec
    in_shape: tuple[int, int, int]
    rows: tuple[LayerInfo, ...]
    layer: int
    variant: bool
    note: Message | None

    @property
    def row(self) -> LayerInfo:
        """The shape-table row of the layer asked about."""
        return self.rows[self.layer - 1]

    @property
    def spec(self) -> LayerSpec:
        """The LayerSpec of the layer asked about."""
        return self.net.layers[self.layer - 1]


def layer_text(layer: LayerSpec, c: int) -> str:
    """The layer as PyTorch writes it, defaults left out: 'Conv2d(3, 16, kernel_size=3, stride=2, padding=1)'."""
    entry = K.kind(layer.kind)
    return entry.family.text(layer, entry, c)


def _in_shape(spec: PipelineSpec, ctx: dict) -> tuple[int, int, int]:
    """ctx['in_shape'] (three whole numbers 1..4096), or the spec's channels × long side × long side."""
    shape = ctx.get("in_shape")
    if shape is None:
        return (1 if spec.image.grayscale else 3, spec.image.long_side, spec.image.long_side)
    ok = isinstance(shape, tuple | list) and len(shape) == 3
    ok = ok and all(isinstance(v, Integral) and not isinstance(v, bool) and 1 <= v <= MAX_SIDE for v in shape)
    if not ok:
        raise ExerciseError("exercises.errors.in_shape", value=str(shape)[:40])
    return tuple(int(v) for v in shape)


def _practice_layer(rng) -> LayerSpec:
    kind = pick(rng, ("conv", "conv", "conv", "maxpool", "avgpool", "relu"))
    if kind == "relu":
        return LayerSpec("relu")
    if kind != "conv":
        k = pick(rng, (2, 3))
        return LayerSpec(kind, kernel=k, stride=pick(rng, (1, 2, 2)), padding=1 if k == 3 and rng.random() < 0.3 else 0)
    s = pick(rng, (1, 1, 2))
    same = s == 1 and rng.random() < 0.2
    return LayerSpec("conv", out_channels=pick(rng, (4, 6, 8, 12, 16, 32)), kernel=pick(rng, (1, 3, 3, 5, 7)), stride=s,
                     padding=0 if same else int(rng.integers(0, 3)), same=same, dilation=pick(rng, (1, 1, 1, 2)),
                     bias=pick(rng, (True, True, False)))


def practice_stack(rng, need) -> tuple[NetSpec, tuple[int, int, int], tuple[LayerInfo, ...], list[int]]:
    """A seeded valid stack of 1..4 layers on a small input, with at least one layer `need` accepts."""
    for _ in range(200):
        h = int(rng.integers(12, 49))
        shape = (pick(rng, (1, 3)), h, pick(rng, (h, int(rng.integers(12, 49)))))
        net = NetSpec(tuple(_practice_layer(rng) for _ in range(int(rng.integers(1, 5)))))
        try:
            rows = tuple(validate(net, shape))
        except SpecError:
            continue
        fit = [r.index for r in rows if need(r, rows)]
        if fit:
            return net, shape, rows, fit
    net = NetSpec((LayerSpec("conv", 8, 3, padding=1), LayerSpec("maxpool", kernel=2, stride=2)))
    return net, (3, 32, 32), tuple(validate(net, (3, 32, 32))), [1, 2]


def setting(exercise_id: str, spec: PipelineSpec, seed: int, variant: bool, ctx: dict, need) -> Setting:
    """The student's stack and layer when they fit the question, else a seeded practice stack (with a note why)."""
    rng, why = rng_for(exercise_id, seed), None
    asked = ctx.get("layer")
    if asked is not None and (isinstance(asked, bool) or not isinstance(asked, Integral)):
        raise ExerciseError("exercises.errors.layer", value=str(asked)[:20])
    if not variant:
        shape = _in_shape(spec, ctx)
        try:
            rows = tuple(validate(spec.net, shape))
        except SpecError:
            rows, why = (), note("stack_invalid")
        fit = [r.index for r in rows if need(r, rows)]
        if fit:
            return Setting(spec.net, shape, rows, asked if asked in fit else pick(rng, fit), False, None)
        why = why or note(f"no_layer_{exercise_id.split('.')[1]}" if spec.net.layers else "no_stack")
    net, shape, rows, fit = practice_stack(rng, need)
    return Setting(net, shape, rows, fit[-1], True, why)


def layer_given(st: Setting) -> tuple[Message, ...]:
    """The facts above a one-layer question: the layer as PyTorch writes it, and its input shape."""
    return (Message("exercises.layers.layer_line", {"i": st.layer, "text": layer_text(st.spec, st.row.in_shape[0])}),
            Message("exercises.layers.input_line", {"shape": times(st.row.in_shape)}))


def question(exercise_id: str, st: Setting, seed: int, prompt: Message, answer, working, mistakes, given) -> Question:
    """A Layer lab Question; its figure names the stack, the input shape and the layer, for the page to highlight."""
    figure = {"net": st.net, "in_shape": st.in_shape, "layer": st.layer}
    return Question(exercise_id, "layers", seed, prompt, answer, tuple(working), mistakes,
                    Message(H + exercise_id.replace("layers.", "layers_") + "_generic"), tuple(given), figure,
                    st.variant, st.note)
