"""Open the app in Streamlit's AppTest the way the page tests do: app.py first, then a page, in a language."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from testkit.server import REPO_ROOT


def open_app(page: str | None = None, lang: str = "en", timeout: float = 60, query: dict | None = None) -> AppTest:
    """app.py run once (sidebar, navigation), then `page` ("pages/layer_lab.py") if given; returns the AppTest."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)
    at.session_state["ui.lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def uploader(at: AppTest, slot: str = "upload"):
    """The Image lab's upload box (its key changes after every handled file, so the box empties)."""
    return next(u for u in at.file_uploader if (u.key or "").startswith(f"w.input.{slot}."))
