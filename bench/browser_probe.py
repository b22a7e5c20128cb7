"""In-page timing for bench/bench_browser.py: when did the user act, and when were the new pictures painted.

Every time is read in the page (performance.now()), so Playwright's own round trips do not count:
t0 is the first keydown / mousedown after `arm`, the end is the animation frame after every watched
picture has a new src and has loaded (complete, naturalWidth > 0), or after the page's controls appear.
"""
from __future__ import annotations

import time

from testkit.browser import IDLE_SELECTOR, wait_idle

MAIN_IMAGES = "[data-testid='stMain'] [data-testid='stImage'] img"
PLOTLY = "[data-testid='stMain'] [data-testid='stPlotlyChart']"

# Installed before any page script: the user's action time and the script-state transitions.
INIT_SCRIPT = """
performance.setResourceTimingBufferSize(100000);
window.__bench = {t0: null, armed: false, done: null, error: null, idleAt: null, sawRun: false,
                  lastChange: performance.now(), plotlyAt: null};
for (const ev of ['keydown', 'mousedown']) {
  document.addEventListener(ev, () => {
    const b = window.__bench;
    if (b.armed && b.t0 === null) b.t0 = performance.now();
  }, true);
}
new MutationObserver(() => {
  const b = window.__bench, app = document.querySelector("[data-testid='stApp']");
  if (!app) return;
  const state = app.getAttribute('data-test-script-state');
  if (state !== b.state) { b.state = state; b.lastChange = performance.now(); }
  if (b.t0 !== null && state === 'running') b.sawRun = true;
  if (b.sawRun && state === 'notRunning' && b.idleAt === null) b.idleAt = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
window.__benchCharts = new MutationObserver(() => {
  const b = window.__bench;
  if (b.t0 !== null) b.plotlyAt = performance.now();
});
"""

# Arm for "these pictures change": [selector, indices, watch plotly, timeout ms].
ARM_PICTURES = """([sel, idx, plotly, timeout]) => {
  const b = window.__bench;
  Object.assign(b, {t0: null, armed: true, done: null, error: null, idleAt: null, sawRun: false, plotlyAt: null});
  const old = idx.map(i => (document.querySelectorAll(sel)[i] || {}).src);
  performance.clearResourceTimings();
  window.__benchCharts.disconnect();
  for (const el of document.querySelectorAll("__CHARTS__")) {
    window.__benchCharts.observe(el.closest("[data-testid='stElementContainer']") || el,
                                 {subtree: true, childList: true, attributes: true});
  }
  const start = performance.now();
  const ready = () => {
    const list = document.querySelectorAll(sel);
    const pics = idx.every((i, j) => list[i] && list[i].src !== old[j] && list[i].complete && list[i].naturalWidth > 0);
    const chart = !plotly || (b.plotlyAt !== null && performance.now() - b.plotlyAt > 20);
    return pics && chart;
  };
  const tick = () => {
    if (b.t0 !== null && ready()) { requestAnimationFrame(() => { b.done = performance.now(); }); return; }
    if (performance.now() - start > timeout) { b.error = 'timeout'; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}""".replace("__CHARTS__", PLOTLY)

# Arm for "the page's controls are visible": [control selector, h1 text, timeout ms].
ARM_CONTROLS = """([sel, title, timeout]) => {
  const b = window.__bench;
  Object.assign(b, {t0: null, armed: true, done: null, error: null, idleAt: null, sawRun: false});
  performance.clearResourceTimings();
  const start = performance.now();
  const ready = () => {
    const h1 = document.querySelector("[data-testid='stMain'] h1");
    const el = document.querySelector(sel);
    if (!h1 || h1.innerText.trim() !== title || !el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const tick = () => {
    if (b.t0 !== null && ready()) { requestAnimationFrame(() => { b.done = performance.now(); }); return; }
    if (performance.now() - start > timeout) { b.error = 'timeout'; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

# Init script of a cold first visit: window.__first = epoch ms of the frame after the first picture loaded.
FIRST_PICTURE = """
(() => {
  const tick = () => {
    const img = document.querySelector("__IMAGES__");
    if (img && img.complete && img.naturalWidth > 0) {
      requestAnimationFrame(() => { window.__first = performance.timeOrigin + performance.now(); });
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("__IMAGES__", MAIN_IMAGES)

SETTLED = """(quiet) => {
  const app = document.querySelector("[data-testid='stApp']");
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
      && performance.now() - window.__bench.lastChange > quiet;
}"""


def settle(page, quiet_ms: float = 400, timeout_ms: float = 120_000) -> None:
    """Wait until the script is idle AND has stayed idle for quiet_ms (pages may rerun right after a run)."""
    wait_idle(page, timeout=timeout_ms)
    page.wait_for_function(SETTLED, arg=quiet_ms, timeout=timeout_ms, polling=50)
    wait_idle(page, timeout=timeout_ms)


def result(page, timeout_ms: float = 60_000) -> dict:
    """Wait for an armed measurement to end; {'ms': action -> painted, 'idle_ms': action -> script idle}."""
    page.wait_for_function("() => window.__bench.done !== null || window.__bench.error !== null", timeout=timeout_ms,
                           polling=20)
    b = page.evaluate("() => window.__bench")
    if b["error"] or b["t0"] is None:
        raise RuntimeError(f"measurement failed: {b['error'] or 'no user action seen'}")
    return {"ms": b["done"] - b["t0"], "idle_ms": (b["idleAt"] - b["t0"]) if b["idleAt"] else None}


def image_srcs(page) -> list[str]:
    """The src of every picture in the main area, in page order."""
    return page.eval_on_selector_all(MAIN_IMAGES, "els => els.map(e => e.src)")


def wait_page_ready(page, min_images: int, timeout_ms: float = 180_000) -> None:
    """After a goto: idle, settled and at least min_images pictures loaded."""
    page.wait_for_selector(IDLE_SELECTOR, timeout=timeout_ms)
    page.wait_for_function("([sel, n]) => [...document.querySelectorAll(sel)].filter(i => i.complete && i.naturalWidth > 0)"
                           ".length >= n", arg=[MAIN_IMAGES, min_images], timeout=timeout_ms)
    settle(page, quiet_ms=1000, timeout_ms=timeout_ms)


MEDIA_FETCHED = """() => performance.getEntriesByType('resource').filter(e => e.name.includes('/media/'))
  .map(e => [e.name, e.encodedBodySize, e.transferSize])"""


def media_fetched(page) -> dict:
    """/media/ files the page fetched since it was armed (resource timing: hits in the page's image list are absent)."""
    entries = page.evaluate(MEDIA_FETCHED)
    return {"media_kb": sum(e[1] for e in entries) / 1024, "media_files": len(entries)}


class Traffic:
    """Bytes over the app's websocket (both ways) since the last reset()."""

    def __init__(self, page):
        self.reset()
        page.on("websocket", self._socket)

    def reset(self) -> None:
        """Start counting from zero."""
        self.received = self.sent = self.frames = 0

    def _socket(self, ws) -> None:
        ws.on("framereceived", self._received)
        ws.on("framesent", self._sent)

    def _received(self, payload) -> None:
        self.received += len(payload)
        self.frames += 1

    def _sent(self, payload) -> None:
        self.sent += len(payload)

    def snapshot(self, page) -> dict:
        """The counters now as KB (ws_kb, sent_kb) and frames, with the page's /media/ fetches since it was armed."""
        return {"ws_kb": self.received / 1024, "sent_kb": self.sent / 1024, "frames": self.frames, **media_fetched(page)}


def epoch_ms() -> float:
    """Wall-clock ms since the epoch (comparable with the page's performance.timeOrigin + now())."""
    return time.time() * 1000
