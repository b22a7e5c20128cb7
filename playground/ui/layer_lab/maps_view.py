"""The stage's output maps, with the pictures of the neighbouring slider values sent ahead.

A key press or a drag on the stage's kernel-size or stride slider shows that value's picture in the browser at
once, from what the last run sent ahead; the run that follows the release brings the same picture again, with its
own neighbours. A value nobody sent ahead (another slider, a jump of two steps) dims the picture until that run
arrives. The browser's part is a small `st.components.v2` component (no iframe): it watches the stage's sliders
and picks the picture that matches their values.
"""
from __future__ import annotations

import base64
import hashlib
import re

import streamlit as st

# Two elements of this component per stage, both in the stage's box (data.box: its class):
# - the maps (role "maps"): watch (each stage slider's class, in the order of the keys), now (the key of the
#   values this run drew), fixed (true: show now's picture whatever the sliders say, dimmed: the last valid maps
#   under an error), pictures ({now: {id, alt, src}}); a key is the sliders' values joined by commas;
# - the neighbours (role "ahead", hidden), sent after the maps: anchor (the id of the picture drawn, so they are
#   used only with the maps of the same run) and pictures ({key: {id, alt, src?}}).
# A picture's src comes once per page: the browser keeps the last KEPT by id (window.__pgStagePictures).
# The figure says which key it shows (data-shows, empty while it waits) and which the last run drew (data-drawn).
# One observer per figure, reading the figure's latest data: a new run's data replaces the old, never adds to it.
JS = r"""
export default function ({ data, parentElement }) {
  const kept = (window.__pgStagePictures ||= new Map());
  for (const picture of Object.values(data.pictures)) {
    if (picture.src) { kept.delete(picture.id); kept.set(picture.id, picture.src); }
  }
  while (kept.size > __KEPT__) kept.delete(kept.keys().next().value);
  const box = parentElement.closest('.' + data.box) || document;
  if (data.role === 'ahead') {
    (window.__pgStageAhead ||= {})[data.box] = data;
    const shown = box.querySelector('figure.pg-stage-maps');
    if (shown && shown.__pgPaint) shown.__pgPaint();
    return;
  }
  let figure = parentElement.querySelector('figure.pg-stage-maps');
  if (!figure) {
    figure = document.createElement('figure');
    figure.className = 'pg-stage-maps';
    figure.appendChild(document.createElement('img'));
    parentElement.appendChild(figure);
  }
  figure.__pgData = data;
  figure.dataset.drawn = data.now;
  const img = figure.querySelector('img');
  const paint = () => {
    const d = figure.__pgData;
    const drawn = d.now.split(',');
    const key = d.fixed ? d.now : d.watch.map((cls, j) => {
      const input = box.querySelector('.' + cls + ' input[type=range]');
      return input ? input.value : drawn[j];
    }).join(',');
    const ahead = (window.__pgStageAhead || {})[d.box];
    const near = ahead && ahead.anchor === d.pictures[d.now].id ? ahead.pictures : {};
    const picture = d.pictures[key] || near[key];
    const src = picture && kept.get(picture.id);
    if (!src) {
      figure.setAttribute('aria-busy', 'true');
      figure.dataset.shows = '';
      return;
    }
    if (img.getAttribute('src') !== src) img.setAttribute('src', src);
    img.setAttribute('alt', picture.alt);
    figure.removeAttribute('aria-busy');
    figure.classList.toggle('pg-stale', !!d.fixed);
    figure.dataset.shows = key;
  };
  figure.__pgPaint = paint;
  if (figure.__pgWatcher) figure.__pgWatcher.disconnect();
  figure.__pgWatcher = new MutationObserver(paint);
  figure.__pgWatcher.observe(box, { subtree: true, attributes: true, attributeFilter: ['aria-valuetext'] });
  paint();
  return () => { figure.__pgWatcher.disconnect(); };
}
"""
CSS = """
figure.pg-stage-maps { margin: 0; }
figure.pg-stage-maps img { display: block; max-width: 100%; height: auto; transition: opacity 0.12s; }
figure.pg-stage-maps[aria-busy="true"] img, figure.pg-stage-maps.pg-stale img { opacity: 0.45; }
[class*="st-key-stage-ahead-"] { display: none !important; }
@media (prefers-reduced-motion: reduce) { figure.pg-stage-maps img { transition: none; } }
"""
KEPT = 48  # pictures the browser keeps by id: a few stages' current and neighbouring maps
KEEP_SENT = KEPT // 2  # ids a page is taken to have: fewer than it keeps, so none was dropped in between
_mount = st.components.v2.component("playground.stage_maps", css=CSS, js=JS.replace("__KEPT__", str(KEPT)),
                                    isolate_styles=False)


def element_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget or container key (as its frontend derives it)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def values_key(values) -> str:
    """The browser's name of one set of slider values: "5,1,1,16"."""
    return ",".join(str(v) for v in values)


def show(box_key: str, slider_keys: list[str], now: tuple, picture: tuple[bytes, str], key: str,
         sent: dict[str, None], fixed: bool = False) -> str:
    """Draw the maps of `now` (the values of the sliders with widget keys `slider_keys`): picture (JPEG, alt).
    fixed: show them dimmed whatever the sliders say. sent: the ids of pictures this page was sent before, oldest
    first (the caller keeps it per page and stage). Returns the picture's id (send_ahead's anchor)."""
    (pid, entry), = _entries({now: picture}, sent, whole=True).values()
    _mount(key=key, data={"role": "maps", "box": element_class(box_key), "watch": [element_class(k) for k in slider_keys],
                          "now": values_key(now), "fixed": fixed, "pictures": {values_key(now): entry}})
    return pid


def send_ahead(box_key: str, anchor: str, pictures: dict[tuple, tuple[bytes, str]], key: str,
               sent: dict[str, None]) -> None:
    """A hidden element with the pictures of other slider values ({values: (JPEG, alt)}) for the maps drawn with
    picture id `anchor`: each goes whole unless the page was sent it before (`sent`)."""
    entries = _entries(pictures, sent, whole=False)
    _mount(key=key, data={"role": "ahead", "box": element_class(box_key), "anchor": anchor,
                          "pictures": {values_key(v): entry for v, (_, entry) in entries.items()}})


def _entries(pictures: dict[tuple, tuple[bytes, str]], sent: dict[str, None], whole: bool) -> dict:
    """{values: (id, {id, alt, src?})}; src when `whole` or the page was not sent the picture before. Notes
    them as sent, keeping the newest KEEP_SENT (the browser keeps KEPT)."""
    out = {}
    for values, (jpeg, alt) in pictures.items():
        pid = hashlib.blake2b(jpeg, digest_size=12).hexdigest()
        entry = {"id": pid, "alt": alt}
        if whole or pid not in sent:
            entry["src"] = "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
        out[values] = (pid, entry)
        sent.pop(pid, None)
        sent[pid] = None  # newest last
    while len(sent) > KEEP_SENT:
        sent.pop(next(iter(sent)))
    return out
