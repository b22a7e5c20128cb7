"""Layer lab questions: a layer's output C×H×W, a conv layer's parameter count, a layer's receptive field.

Every right answer comes from playground.layers.shapes.validate (the Layer lab's shape table); the
mistakes are recomputed with shapes.out_size. The tests check the answers against torch.
"""
from __future__ import annotations

from playground.errors import Message
from playground.exercises.answers import Integer, Integers, times
from playground.exercises.common import keep, size_line, size_slips
from playground.exercises.layer_setting import layer_given, layer_text, question, setting
from playground.exercises.model import Question
from playground.layers.shapes import LayerInfo, out_size
from playground.spec import PipelineSpec

H = "exercises.hints."
SHAPE = "exercises.layers.shape."


def _spatial(row: LayerInfo) -> bool:
    return row.family.windowed or row.family.pooling


def _shape_mistakes(row: LayerInfo) -> list:
    (c, h, w), (c2, h2, w2) = row.in_shape, row.out_shape
    k, s, p, d = row.kernel, row.stride, row.padding, row.dilation
    out = []
    if row.same:
        out.append(("forgot_padding", (c2, out_size(h, k, 1, 0, d), out_size(w, k, 1, 0, d)),
                    Message(H + "shape_same", {"pads": d * (k - 1)})))
    elif row.family.windowed:
        for (mid, vh, params), (_, vw, _) in zip(size_slips(h, k, s, p, d), size_slips(w, k, s, p, d), strict=True):
            if mid != "input_size":
                out.append((mid, None if vh is None or vw is None else (c2, vh, vw), Message(H + f"size_{mid}", params)))
    return out + [
        ("channels_in", (c, h2, w2), Message(H + "shape_channels_in", {"c": c, "c2": c2})),
        ("no_channels", (h2, w2), Message(H + "shape_no_channels", {"c2": c2})),
        ("swapped", (c2, w2, h2), Message(H + "shape_swapped")),
        ("input_shape", (c, h, w), Message(H + "shape_input")),
    ]


def _shape_working(row: LayerInfo) -> list[Message]:
    (c, h, w), (c2, h2, w2) = row.in_shape, row.out_shape
    k, s, p, d = row.kernel, row.stride, row.padding, row.dilation
    if row.same:
        lines = [Message(SHAPE + "work_same", {"pads": d * (k - 1), "h": h, "w": w})]
    elif row.family.windowed:
        lines = [Message("exercises.size.work_formula"), size_line("exercises.size.work_height", h, k, s, p, d),
                 size_line("exercises.size.work_width", w, k, s, p, d)]
    else:  # an adaptive pool (the question only asks about layers that change H and W)
        lines = [Message(SHAPE + "work_adaptive", {"n": h2})]
    key = "work_channels_conv" if row.family.own_channels else "work_channels_keep"
    return lines + [Message(SHAPE + key, {"c": c, "c2": c2}), Message(SHAPE + "work_result", {"shape": times((c2, h2, w2))})]


def out_shape(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """The C×H×W that layer k hands on (a conv or pooling layer of the student's stack when there is one)."""
    st = setting("layers.out_shape", spec, seed, variant, ctx, lambda r, rows: _spatial(r))
    answer = Integers(st.row.out_shape, "C×H×W", "16×84×127")
    return question("layers.out_shape", st, seed, Message(SHAPE + "prompt", {"i": st.layer}), answer,
                    _shape_working(st.row), keep(answer, _shape_mistakes(st.row)), layer_given(st))


def _param_mistakes(layer, c: int) -> list:
    o, k, d = layer.out_channels, layer.kernel, layer.dilation
    b = o if layer.bias else 0
    return [
        ("forgot_bias", o * c * k * k if layer.bias else None, Message(H + "params_bias", {"o": o})),
        ("forgot_in_channels", o * k * k + b if c > 1 else None, Message(H + "params_in_channels", {"c": c})),
        ("forgot_filters", c * k * k + (1 if layer.bias else 0) if o > 1 else None, Message(H + "params_filters", {"o": o})),
        ("kernel_not_squared", o * c * k + b if k > 1 else None, Message(H + "params_square", {"k": k})),
        ("dilated_size", o * c * (d * (k - 1) + 1) ** 2 + b if d > 1 else None, Message(H + "params_dilation", {"d": d})),
    ]


def params(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """How many trainable numbers a conv layer holds: out × in × k × k weights, plus one bias per filter."""
    st = setting("layers.params", spec, seed, variant, ctx, lambda r, rows: r.family.windowed and r.family.own_channels)
    layer, c, z = st.spec, st.row.in_shape[0], "exercises.layers.params."
    per, o = c * layer.kernel ** 2, layer.out_channels
    answer = Integer(st.row.params, example="448")
    working = [Message(z + "work_per_filter", {"c": c, "k": layer.kernel, "per": per}),
               Message(z + "work_filters", {"o": o, "per": per, "weights": o * per}),
               Message(z + ("work_bias" if layer.bias else "work_no_bias"), {"o": o}),
               Message(z + "work_total", {"weights": o * per, "bias": o if layer.bias else 0, "total": st.row.params})]
    return question("layers.params", st, seed, Message(z + "prompt", {"i": st.layer}), answer, working,
                    keep(answer, _param_mistakes(layer, c)), layer_given(st))


def rf_side(rows, upto: int, dilation: bool = True, jumps: bool = True) -> int:
    """Receptive-field side after `upto` layers; dilation / jumps False recompute it the way a slip would."""
    size, jump = 1, 1
    for r in rows[:upto]:
        size += (r.dilation if dilation else 1) * (r.kernel - 1) * (jump if jumps else 1)
        jump *= r.stride
    return size


def _rf_fits(row: LayerInfo, rows) -> bool:
    """Conv / pooling layers that widen the field, with only such layers and elementwise ones up to them (an adaptive
    pool's window depends on the input, a transposed conv's field is not the textbook sum)."""
    return row.family.windowed and row.rf_size > 1 and all(r.family.windowed or r.family.elementwise
                                                           for r in rows[:row.index])


def _rf_working(rows, upto: int) -> list[Message]:
    z, lines, size, jump = "exercises.layers.rf.", [Message("exercises.layers.rf.work_start")], 1, 1
    for r in rows[:upto]:
        reach = r.dilation * (r.kernel - 1)
        if reach == 0 and r.stride == 1:
            lines.append(Message(z + "work_same", {"i": r.index, "name": r.name, "rf": size}))
            continue
        lines.append(Message(z + "work_layer", {"i": r.index, "name": r.name, "prev": size, "reach": reach, "jump": jump,
                                                "rf": size + reach * jump, "jump2": jump * r.stride}))
        size, jump = size + reach * jump, jump * r.stride
    return lines + [Message(z + "work_result", {"i": upto, "rf": rows[upto - 1].rf_size})]


def receptive_field(spec: PipelineSpec, seed: int, variant: bool = False, **ctx) -> Question:
    """How many input pixels wide the patch is that one output pixel of layer k sees."""
    st = setting("layers.receptive_field", spec, seed, variant, ctx, _rf_fits)
    rows, k, row = st.rows, st.layer, st.row
    answer = Integer(row.rf_size, square=True, example="7")
    mistakes = keep(answer, [
        ("forgot_dilation", rf_side(rows, k, dilation=False), Message(H + "rf_dilation")),
        ("ignored_jumps", rf_side(rows, k, jumps=False), Message(H + "rf_jumps")),
        ("off_by_one", row.rf_size - 1, Message(H + "rf_plus_one")),
        ("own_kernel", row.dilation * (row.kernel - 1) + 1, Message(H + "rf_own_kernel", {"i": k})),
    ])
    given = [Message("exercises.layers.input_line", {"shape": times(st.in_shape)})]
    for i, (layer, r) in enumerate(zip(st.net.layers[:k], rows[:k], strict=True), start=1):
        given.append(Message("exercises.layers.layer_line", {"i": i, "text": layer_text(layer, r.in_shape[0])}))
    return question("layers.receptive_field", st, seed, Message("exercises.layers.rf.prompt", {"i": k}), answer,
                    _rf_working(rows, k), mistakes, given)
