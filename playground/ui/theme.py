"""Layout CSS for every size and projector mode (static blocks of our own, never user data), and chart fonts."""
from __future__ import annotations

import json

import numpy as np
import streamlit as st
from PIL import Image

from playground.ui.state import read, tr

# Class names of keyed containers (st.container(key=...) adds "st-key-<key>"), styled below.
LAYER_ROWS, SUMMARY = "layout-layer-rows", "layout-summary"
_ROWS = f".st-key-{LAYER_ROWS} > [data-testid='stLayoutWrapper'] > [data-testid='stHorizontalBlock']"
_SUMMARY = f".st-key-{SUMMARY} > [data-testid='stLayoutWrapper'] > [data-testid='stHorizontalBlock']"

# Every size: texts wrap instead of ending in "…", tables / formulas scroll in their own box, pictures fit.
# At 769-1100 px (a tablet) a narrower sidebar, less padding, and the Layer lab's rows stacked.
BASE_CSS = f"""
<style>
[data-testid="stWidgetLabel"] [data-testid="stMarkdownContainer"], [data-testid="stWidgetLabel"] p,
button [data-testid="stMarkdownContainer"], button [data-testid="stMarkdownContainer"] p,
[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"], [data-testid="stSidebarNavLink"] p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: break-word; }}
[data-testid="stMarkdownContainer"] table {{ display: block; max-width: 100%; overflow-x: auto; }}
.katex-display {{ max-width: 100%; overflow-x: auto; overflow-y: hidden; padding: 2px 0; }}
[data-testid="stImage"], [data-testid="stImageContainer"] {{ max-width: 100% !important; }}
[data-testid="stImage"] img {{ max-width: 100% !important; height: auto !important; }}
/* Captions: the text colour at 85 % (Streamlit's 60 % gave 3.9:1 on white), at least 4.5:1 on the light and the
   dark theme alike, and still above it inside a box that is faint already. */
[data-testid="stCaptionContainer"], [data-testid="stImageCaption"] {{ color: inherit !important; opacity: 0.85; }}
[data-testid="stCaptionContainer"] p, [data-testid="stImageCaption"] p {{ color: inherit !important; }}
/* Code keywords: no single blue reaches 4.5:1 on both themes' code background; the text colour in bold does.
   Comments: Streamlit's grey gave 3.5:1 on the light theme's code background; the text colour in italics. */
[data-testid="stCode"] .token.keyword {{ color: inherit !important; font-weight: 700; }}
[data-testid="stCode"] .token.comment {{ color: inherit !important; font-style: italic; }}
/* The value over a slider's thumb: the text colour (the dark theme's red gave 3.9:1). */
[data-testid="stSliderThumbValue"], [data-testid="stSliderThumbValue"] p {{ color: inherit !important; }}
/* Targets at least 24 px; 44 px where the pointer is a finger. */
button, [role="slider"], [data-baseweb="select"] {{ min-height: 24px !important; min-width: 24px !important; }}
@media (pointer: coarse) {{
  button, [data-baseweb="select"], [data-testid="stSidebarNavLink"] {{
    min-height: 44px !important; min-width: 44px !important; }}
  [data-baseweb="radio"], [data-baseweb="checkbox"] {{ min-height: 44px !important; }}
}}
:focus-visible {{ outline: 2px solid currentColor !important; outline-offset: 2px; }}
@media (prefers-reduced-motion: reduce) {{
  *, *::before, *::after {{ animation-duration: 0.01ms !important; animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important; scroll-behavior: auto !important; }}
}}
@media (min-width: 769px) and (max-width: 1100px) {{
  section[data-testid="stSidebar"] {{ width: 220px !important; min-width: 220px !important; }}
}}
@media (min-width: 1101px) {{  /* the layer editor wide enough for its longest choice ("Random (seeded, …)") */
  {_ROWS} > [data-testid="stColumn"]:first-child {{ flex: 0 0 38% !important; width: 38% !important; }}
  {_ROWS} > [data-testid="stColumn"]:last-child {{ flex: 1 1 0 !important; width: auto !important; }}
}}
@media (max-width: 1100px), (pointer: coarse) {{  /* on a tablet or phone toolbars covered chart titles and legends */
  .modebar-container, [data-testid="stElementToolbar"] {{ display: none !important; }}
}}
@media (max-width: 1100px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 1.25rem !important; padding-right: 1.25rem !important; }}
  {_ROWS}, {_SUMMARY} {{ flex-wrap: wrap !important; }}
  {_ROWS} > [data-testid="stColumn"], {_SUMMARY} > [data-testid="stColumn"] {{
    flex: 1 1 100% !important; width: 100% !important; min-width: 100% !important; }}
}}
</style>
"""

# Projector mode. Only colours the theme already defines (inherit / currentColor): the same block reads well on
# light and dark.
PROJECTOR_CSS = f"""
<style>
html {{ font-size: 125%; }}
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 1.5rem 1.5rem 4rem !important; max-width: 100%; }}
section[data-testid="stSidebar"] {{ width: 250px !important; min-width: 250px !important; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, label[data-testid="stWidgetLabel"],
[data-testid="stWidgetLabel"] p, [data-testid="stImageCaption"] {{ color: inherit !important; opacity: 1 !important; }}
[data-testid="stCaptionContainer"] p {{ font-size: 0.95rem; }}
[data-testid="stWidgetLabel"] p {{ font-weight: 600; }}
[data-testid="stImageCaption"] {{ font-size: 0.95rem; }}
[data-testid="stMarkdownContainer"] table {{ font-size: 1.05rem; }}
.katex {{ font-size: 1.35em !important; }}
.steps-board {{ --steps-min: 1.4; }}  /* the step-through's digits at least 22 px (svg.py MIN_FONT × 1.4) */
h1 {{ font-size: 2.4rem !important; }}
:focus-visible {{ outline: 3px solid currentColor !important; outline-offset: 2px; }}
{_SUMMARY} {{ flex-wrap: wrap !important; }}
{_SUMMARY} > [data-testid="stColumn"] {{ flex: 1 1 100% !important; width: 100% !important; min-width: 100% !important; }}
@media (min-width: 1101px) {{
  {_ROWS} > [data-testid="stColumn"]:first-child {{ flex: 0 0 45% !important; width: 45% !important; }}
  {_ROWS} > [data-testid="stColumn"]:last-child {{ flex: 1 1 0 !important; width: auto !important; }}
}}
</style>
"""


CHART_FONT, PROJECTOR_CHART_FONT = 13, 20  # px of plotly text: axes, legends, hover (titles a little larger)


def chart_font() -> int:
    """The font size every plotly figure uses: larger in projector mode, for the back row."""
    return PROJECTOR_CHART_FONT if read("room.projector") else CHART_FONT


def font(extra: int = 0) -> dict:
    """A plotly font dict of chart_font() + extra px: the one place every figure takes its text size from."""
    return dict(size=chart_font() + extra)


def fonts(fig, extra: int = 0):
    """Every text of a plotly figure at font(extra), its title 3 px larger; returns the figure.

    A layout font alone is not enough: Streamlit's plotly theme sets its own tick, legend and axis-title sizes
    (they stayed at 12-15 px in projector mode), and a figure's own settings win over a theme.
    """
    size = font(extra)
    fig.update_layout(font=size, legend_font=size, hoverlabel_font=size)
    fig.update_xaxes(tickfont=size, title_font=size)
    fig.update_yaxes(tickfont=size, title_font=size)
    if fig.layout.title.text:
        fig.update_layout(title_font=font(extra + 3))
    return fig


# A box that scrolls (a wide table, a long formula) must take keyboard focus, or a keyboard user cannot scroll
# it: every such box in the page gets tabindex=0, again whenever the page changes. Static script of ours.
FOCUSABLE_SCROLL_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView;
  if (win.__playgroundScrollFocus) return;
  win.__playgroundScrollFocus = true;
  const mark = () => {
    for (const el of doc.querySelectorAll(".katex-display, [data-testid='stMarkdownContainer'] table")) {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");  // these scroll as soon as they overflow
    }
    for (const el of doc.querySelectorAll("[data-testid='stMain'] *, [data-testid='stSidebar'] *")) {
      if (el.hasAttribute("tabindex") || !(el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight)) {
        continue;
      }
      const style = win.getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) el.setAttribute("tabindex", "0");
    }
  };
  let queued = false;
  new win.MutationObserver(() => {
    if (!queued) { queued = true; win.requestAnimationFrame(() => { queued = false; mark(); }); }
  }).observe(doc.body, {childList: true, subtree: true});
  win.addEventListener("resize", mark);
  doc.fonts.addEventListener("loadingdone", mark);  // a formula grows when its font arrives, with no DOM change
  win.setInterval(mark, 2000);
  mark();
})();
</script>
"""


# Icon and symbol buttons (the Layer lab's ↑ ↓ ⧉ 🗑 per layer, − / + beside a slider) would be read out as
# "arrow_upward" or "minus": each gets an aria-label naming its layer, its setting and its action, in the page's
# language. The buttons are found by the class Streamlit derives from their keys (state.button_key); the names
# are templates from our catalogue, filled in the browser with the layer number.
BUTTON_NAMES_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView;
  win.__playgroundNames = __NAMES__;
  if (win.__playgroundNaming) return;
  win.__playgroundNaming = true;
  const ACTION = /^st-key-b-layers-(up|down|copy|remove)-(\\d+)$/;
  const STEP = /^st-key-b-net-layers-(\\d+)-([a-z_]+)-(less|more)$/;
  const name = (cls) => {
    const n = win.__playgroundNames;
    let m = ACTION.exec(cls);
    if (m) return n.layer.replace("{i}", Number(m[2]) + 1) + " · " + n.actions[m[1]];
    m = STEP.exec(cls);
    if (m && n.fields[m[2]]) {
      return n.layer.replace("{i}", Number(m[1]) + 1) + " · " + n[m[3]].replace("{name}", n.fields[m[2]]);
    }
    return null;
  };
  const mark = () => {
    for (const box of doc.querySelectorAll("[class*='st-key-b-']")) {
      const cls = [...box.classList].find((c) => c.startsWith("st-key-b-"));
      const label = cls && name(cls);
      for (const button of label ? box.querySelectorAll("button") : []) {
        if (button.getAttribute("aria-label") !== label) button.setAttribute("aria-label", label);
      }
    }
  };
  let queued = false;
  new win.MutationObserver(() => {
    if (!queued) { queued = true; win.requestAnimationFrame(() => { queued = false; mark(); }); }
  }).observe(doc.body, {childList: true, subtree: true});
  mark();
})();
</script>
"""


def button_names_js() -> str:
    """BUTTON_NAMES_JS with this session's language: catalogue templates only, as a JSON literal."""
    names = {"layer": tr("layers.editor.layer"), "less": tr("a11y.less_help"), "more": tr("a11y.more_help"),
             "actions": {a: tr(f"layers.editor.{a}") for a in ("up", "down", "copy", "remove")},
             "fields": {f: tr(f"layers.editor.{f}") for f in ("out_channels", "kernel", "stride", "padding")}}
    return BUTTON_NAMES_JS.replace("__NAMES__", json.dumps(names, ensure_ascii=False).replace("</", "<\\/"))


def apply(projector: bool) -> None:
    """Inject the layout CSS, and the projector block when projector mode is on (static text of ours, no user data)."""
    st.html(BASE_CSS + (PROJECTOR_CSS if projector else ""))
    st.html(FOCUSABLE_SCROLL_JS, unsafe_allow_javascript=True)
    st.html(button_names_js(), unsafe_allow_javascript=True)


def page_icon() -> Image.Image:
    """A 4×4 grid icon drawn here: a ":material/..." page icon makes the browser fetch its SVG from Google's CDN."""
    colours = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98]], np.uint8)  # viridis stops
    cells = (np.add.outer(np.arange(4), np.arange(4)) % 4)  # (4, 4) diagonal bands
    icon = colours[cells].repeat(8, 0).repeat(8, 1)  # (32, 32, 3)
    icon[::8, :] = icon[:, ::8] = 255  # white grid lines
    return Image.fromarray(icon)
