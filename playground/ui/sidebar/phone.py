"""On a phone the sidebar covers the page: close it after a page is chosen from it.

Streamlit closes it by itself only when the browser calls itself a phone (its user agent); a narrow window with
another user agent (a small tablet, a desktop browser made narrow, a phone asking for the desktop site) kept it
open over 300 of 390 px. Below Streamlit's `md` breakpoint the sidebar lies over the page, so there a click on a
page link also presses the sidebar's own collapse button (which Streamlit remembers like a hand's press).
Static script of ours, installed once per window.
"""
from __future__ import annotations

import streamlit as st

OVERLAY_MAX_PX = 768  # Streamlit's theme breakpoint `md`: at or below it the sidebar overlays the main area

CLOSE_ON_NAV_JS = """
<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView;
  if (win.__playgroundNavClose) return;
  win.__playgroundNavClose = true;
  doc.addEventListener("click", (event) => {
    if (!event.target.closest || !event.target.closest("[data-testid='stSidebarNavLink']")) return;
    if (win.innerWidth > __MAX__) return;
    win.requestAnimationFrame(() => {
      const bar = doc.querySelector("[data-testid='stSidebar']");
      const close = doc.querySelector("[data-testid='stSidebarCollapseButton'] button");
      if (bar && close && bar.getAttribute("data-collapsed") === "false") close.click();
    });
  }, true);
})();
</script>
""".replace("__MAX__", str(OVERLAY_MAX_PX))


def close_after_navigation() -> None:
    """Install the script that closes the overlaying sidebar after a page link is clicked."""
    st.html(CLOSE_ON_NAV_JS, unsafe_allow_javascript=True)
