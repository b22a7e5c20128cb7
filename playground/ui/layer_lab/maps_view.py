"""The stage's output maps, with the pictures of the neighbouring slider values sent ahead.

A key press or a drag on the stage's kernel-size or stride slider shows that value's picture in the browser at
once, from what the last run sent ahead; the run that follows the release brings the same picture again, with its
own neighbours. A value nobody sent ahead (another slider, a jump of two steps) dims the picture until that run
arrives. The browser's part is a small `st.components.v2` component (no iframe): it watches the stage's sliders
and picks the picture that matches their values.
"""
from __future__ import annotations

import base64
import re

import streamlit as st

# data: box (the stage container's class), watch (each stage slider's class, in the order of the keys), now (the
# key of the values this run drew), pictures ({key: {src, alt}}); a key is the sliders' values joined by commas.
# The figure says which key it shows (data-shows, empty while it waits) and which the last run drew (data-drawn).
JS = r"""
export default function ({ data, parentElement }) {
  let figure = parentElement.querySelector('figure.pg-stage-maps');
  if (!figure) {
    figure = document.createElement('figure');
    figure.className = 'pg-stage-maps';
    figure.appendChild(document.createElement('img'));
    parentElement.appendChild(figure);
  }
  const img = figure.querySelector('img');
  figure.dataset.drawn = data.now;
  const box = parentElement.closest('.' + data.box) || document;
  const drawn = data.now.split(',');
  const wanted = () => data.watch.map((cls, j) => {
    const input = box.querySelector('.' + cls + ' input[type=range]');
    return input ? input.value : drawn[j];
  }).join(',');
  const paint = () => {
    const key = wanted();
    const picture = data.pictures[key];
    if (!picture) {
      figure.setAttribute('aria-busy', 'true');
      figure.dataset.shows = '';
      return;
    }
    if (img.getAttribute('src') !== picture.src) img.setAttribute('src', picture.src);
    img.setAttribute('alt', picture.alt);
    figure.removeAttribute('aria-busy');
    figure.dataset.shows = key;
  };
  const watcher = new MutationObserver(paint);
  watcher.observe(box, { subtree: true, attributes: true, attributeFilter: ['aria-valuetext'] });
  paint();
  return () => watcher.disconnect();
}
"""
CSS = """
figure.pg-stage-maps { margin: 0; }
figure.pg-stage-maps img { display: block; max-width: 100%; height: auto; transition: opacity 0.12s; }
figure.pg-stage-maps[aria-busy="true"] img { opacity: 0.45; }
@media (prefers-reduced-motion: reduce) { figure.pg-stage-maps img { transition: none; } }
"""
_mount = st.components.v2.component("playground.stage_maps", css=CSS, js=JS, isolate_styles=False)


def element_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget or container key (as its frontend derives it)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def values_key(values) -> str:
    """The browser's name of one set of slider values: "5,1,1,16"."""
    return ",".join(str(v) for v in values)


def show(box_key: str, slider_keys: list[str], now: tuple, pictures: dict[tuple, tuple[bytes, str]],
         key: str) -> None:
    """Draw the maps of `now` (the values of the sliders with widget keys `slider_keys`), with every picture of
    `pictures` ({values: (JPEG, alt)}, `now`'s among them) ready for when those sliders move."""
    _mount(key=key, data={
        "box": element_class(box_key),
        "watch": [element_class(k) for k in slider_keys],
        "now": values_key(now),
        "pictures": {values_key(v): {"src": "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii"),
                                     "alt": alt}
                     for v, (jpeg, alt) in pictures.items()},
    })
