"""The step-through board as one HTML string of inline SVG grids: numbers large enough for a projector.

Hand-built SVG instead of plotly: a step costs a few milliseconds (plotly figures are validated twice,
about 15 ms each), the payload is small, and every cell is a DOM element a browser test can read.
Cells carry classes: pad / cell / sampled / sampled-pad (padding under the window) / chosen / done / current /
empty / kernel / product.
"""
from __future__ import annotations

import re
from html import escape

import numpy as np

from playground.steps.inputs import fmt_number
from playground.steps.problem import Problem, Step, padded, real_mask
from playground.ui.state import tr

FILL = {"pad": "#b0bec5", "cell": "#ffffff", "sampled": "#ffe082", "sampled-pad": "#d9c78f", "chosen": "#ff9800",
        "done": "#c8e6c9", "current": "#ffca28", "empty": "#f5f5f5", "kernel": "#bbdefb", "product": "#ffe082"}
GAP = "#78909c"  # lines between cells
OUTLINE = "#d84315"  # the window's sampled cells, the current output cell
CHOSEN_OUTLINE = "#1a237e"  # the max-pooling winner
MARGIN = 4
ROW_CSS = "display:flex;flex-wrap:wrap;align-items:center;gap:10px;font-variant-numeric:tabular-nums;"
# Shown digits never get smaller than MIN_FONT px: a panel that would have to shrink further wraps to its own line.
# theme.py's projector CSS raises --steps-min (a factor on every minimum width) for the back row.
MIN_FONT = 16
COLUMN_CSS = "display:flex;flex-direction:column;gap:12px;"
TITLE_CSS = "font-size:1.15rem;font-weight:700;margin-bottom:4px;line-height:1.25;overflow-wrap:anywhere;"
OP_CSS = "flex:0 0 auto;font-size:1.8rem;font-weight:700;color:#455a64;padding-top:28px;"


def cell_size(problem: Problem) -> int:
    """Pixels per cell at natural size; the browser scales the whole board down to fit the page width."""
    cells = problem.x.shape[2] + 2 * problem.padding
    return int(max(40, min(80, 800 // cells)))


def _font_size(cell: int, texts: list[str]) -> int:
    """Largest font (in natural pixels) that fits the longest number in a cell."""
    longest = max((len(s) for s in texts), default=1) or 1
    return int(max(11, min(cell * 0.5, cell * 1.75 / max(longest, 2))))


def _rect(r: int, c: int, cell: int, color: str, width: int, dash: str = "") -> str:
    """An outline around cell (r, c)."""
    x, y = MARGIN + c * cell, MARGIN + r * cell
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<rect class="outline" x="{x}" y="{y}" width="{cell}" height="{cell}" fill="none" '
            f'stroke="{color}" stroke-width="{width}"{extra}/>')


def grid_text(texts: list[str], w: int) -> str:
    """The grid read out row by row ("Row 1: 3, 0, blank; Row 2: …"), for a screen reader."""
    blank = tr("a11y.blank")
    rows = [texts[i:i + w] for i in range(0, len(texts), w)]
    return "; ".join(tr("a11y.grid_row", r=r, values=", ".join(t or blank for t in row))
                     for r, row in enumerate(rows, start=1))


def grid_svg(values: np.ndarray, kinds: np.ndarray, cell: int, outlines: tuple[str, ...] = ()) -> str:
    """One grid: kinds (class names) pick the colours; numbers are written in (NaN = blank)."""
    h, w = values.shape
    texts = [fmt_number(v) for v in values.flat]
    font = _font_size(cell, texts)
    size = (w * cell + 2 * MARGIN, h * cell + 2 * MARGIN)
    rects, labels = [], []
    for i, (kind, text) in enumerate(zip(kinds.flat, texts, strict=False)):
        r, c = divmod(i, w)
        x, y = MARGIN + c * cell, MARGIN + r * cell
        rects.append(f'<rect class="{kind}" data-r="{r}" data-c="{c}" x="{x}" y="{y}" width="{cell}" '
                     f'height="{cell}" fill="{FILL[kind]}"/>')
        if text:
            labels.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + font * 0.35:.1f}">{text}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {size[0]} {size[1]}" '
            f'role="img" aria-label="{escape(grid_text(texts, w))}" '
            f'style="display:block;height:auto;" font-size="{font}" text-anchor="middle">'
            f'<g stroke="{GAP}" stroke-width="2">{"".join(rects)}</g><g fill="#111">{"".join(labels)}</g>'
            f'{"".join(outlines)}</svg>')


def input_svg(problem: Problem, step: Step, channel: int, cell: int) -> str:
    """The padded input of one channel: grey zero border, sampled window cells outlined, max winner marked."""
    grid = padded(problem)[channel]
    kinds = np.where(real_mask(problem), "cell", "pad").astype(object)
    outlines = []
    if problem.dilation > 1:  # the area the dilated window spans, so the skipped cells show
        r0, r1, c0, c1 = step.rows[0], step.rows[-1], step.cols[0], step.cols[-1]
        x, y = MARGIN + c0 * cell, MARGIN + r0 * cell
        outlines.append(f'<rect class="span" x="{x}" y="{y}" width="{(c1 - c0 + 1) * cell}" '
                        f'height="{(r1 - r0 + 1) * cell}" fill="none" stroke="{OUTLINE}" stroke-width="2" '
                        f'stroke-dasharray="8 5"/>')
    for r in step.rows:
        for c in step.cols:
            kinds[r, c] = "sampled" if kinds[r, c] == "cell" else "sampled-pad"  # padding stays greyish
            outlines.append(_rect(r, c, cell, OUTLINE, 4))
    if step.chosen:
        r, c = step.chosen[channel]
        kinds[r, c] = "chosen"
        outlines.append(_rect(r, c, cell, CHOSEN_OUTLINE, 5))
    return grid_svg(grid, kinds, cell, tuple(outlines))


def kernel_svg(weight: np.ndarray, cell: int) -> str:
    """A k×k kernel slice with its numbers."""
    return grid_svg(weight, np.full(weight.shape, "kernel", dtype=object), cell)


def window_svg(values: np.ndarray, cell: int, inside: np.ndarray, chosen: tuple[int, int] | None = None) -> str:
    """The k×k products (conv) or sampled numbers (pooling): padding cells greyish, the max winner marked."""
    kinds = np.where(inside, "product", "sampled-pad").astype(object)
    outlines = ()
    if chosen is not None:
        kinds[chosen] = "chosen"
        outlines = (_rect(*chosen, cell, CHOSEN_OUTLINE, 5),)
    return grid_svg(values, kinds, cell, outlines)


def window_inside(problem: Problem, step: Step) -> np.ndarray:
    """(k, k) booleans: which window cells are real input (not padding)."""
    return real_mask(problem)[np.ix_(step.rows, step.cols)]


def output_svg(out: np.ndarray, step: Step, cell: int) -> str:
    """One output channel: finished cells green, the current one amber and outlined, the rest blank."""
    kinds = np.where(np.isnan(out), "empty", "done").astype(object)
    kinds[step.row, step.col] = "current"
    return grid_svg(out, kinds, cell, (_rect(step.row, step.col, cell, OUTLINE, 5),))


def chosen_in_window(step: Step, channel: int) -> tuple[int, int] | None:
    """The max winner's (row, col) inside the k×k window, or None when not max pooling."""
    if not step.chosen:
        return None
    r, c = step.chosen[channel]
    return step.rows.index(r), step.cols.index(c)


def _natural_width(svg: str) -> int:
    """The width a grid's viewBox asks for."""
    return int(re.search(r'viewBox="0 0 (\d+)', svg).group(1))


def _min_width(svg: str) -> int:
    """The narrowest a grid may be drawn: its numbers shown at MIN_FONT px."""
    font = int(re.search(r'font-size="(\d+)"', svg).group(1))
    return -(-_natural_width(svg) * min(MIN_FONT, font) // font)


def _min_css(px: int) -> str:
    """min-width of px (times the page's --steps-min factor), never wider than the line."""
    return f"min-width:min(calc({px}px * var(--steps-min, 1)), 100%);"


def panel(name: str, title: str, svg: str, stacked: bool = False) -> str:
    """A titled grid that shrinks with the page; `name` (input0, kernel0, out0, ...) lets tests find it.

    In a row it grows in proportion to its natural width (data-w); stacked in a column it fills the column.
    """
    width, least = _natural_width(svg), _min_width(svg)
    size = "width:100%;" if stacked else f"flex:{width} 1 0;"
    return (f'<div class="steps-panel" data-grid="{name}" {"data-sw" if stacked else "data-w"}="{width}" '
            f'data-min="{least}" style="{size}{_min_css(least)}max-width:{width}px;">'
            f'<div style="{TITLE_CSS}">{escape(title)}</div>{svg}</div>')


def stack(top: str, symbol: str, bottom: str) -> str:
    """Two stacked panels with an operator between them (kernel, ↓, products), as one row item."""
    width = max(int(w) for w in re.findall(r'data-sw="(\d+)"', top + bottom))
    least = max(int(w) for w in re.findall(r'data-min="(\d+)"', top + bottom))
    return (f'<div class="steps-stack" data-w="{width}" data-min="{least}" style="flex:{width} 1 0;{_min_css(least)}'
            f'max-width:{width}px;'
            f'display:flex;flex-direction:column;align-items:center;gap:2px;">'
            f'{top}<div style="{OP_CSS}padding-top:0;line-height:1;">{escape(symbol)}</div>{bottom}</div>')


def operator(symbol: str) -> str:
    """A large operator glyph between panels (×, =, →)."""
    return f'<div style="{OP_CSS}">{escape(symbol)}</div>'


def _row_width(panels: list[str]) -> int:
    """Natural width of a row of panels (operators not counted)."""
    return sum(int(w) for w in re.findall(r'data-w="(\d+)"', "".join(panels)))


def _row_min(items: list[str]) -> int:
    """Narrowest a row of panels and operators may be before it wraps (an operator about 40 px)."""
    firsts = [re.search(r'data-min="(\d+)"', item) for item in items]  # an item's own box comes first
    return sum(int(m.group(1)) if m else 40 for m in firsts)


def board(rows: list[list[str]], outputs: list[str]) -> str:
    """Channel rows (input × kernel = products) on the left, → the output panels on the right.

    Every panel grows in proportion to its natural width, so all grids keep the same cell size
    whatever the page width.
    """
    left_w, right_w = _row_width(rows[0]), max(_row_width([o]) for o in outputs)
    left_min, right_min = _row_min(rows[0]), max(_row_min([o]) for o in outputs)
    left = "".join(f'<div style="{ROW_CSS}">{"".join(row)}</div>' for row in rows)
    right = "".join(f'<div style="{ROW_CSS}">{o}</div>' for o in outputs)
    return (f'<div class="steps-board" style="{ROW_CSS}">'
            f'<div style="flex:{left_w} 1 0;{_min_css(left_min)}{COLUMN_CSS}">{left}</div>{operator("→")}'
            f'<div style="flex:{right_w} 1 0;{_min_css(right_min)}max-width:{right_w}px;{COLUMN_CSS}">{right}</div></div>')
