"""User values reach the page as text, never markup, on every message path that shows one.

st.warning / st.error render markdown: a field name or version from a share link or settings file shown there
as markdown could draw a fake heading ("SERVER HACKED"), a link to any host, or an image fetched from any host.
Markdown, HTML and KaTeX are sent here through link fields and values, a settings file's fields and
version, an upload's file name and a zip's class names; the real DOM must hold none of the elements they would
make, the text must be shown literally, and the browser must fetch nothing from the made-up host.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import expect

from testkit.browser import wait_idle
from testkit.pictures import zip_set

# Two payloads, each within the 40 characters a message shows of a user value (playground/untrusted.py SHORT).
TEXTUAL = "# SERVER HACKED <b>x</b> $x^2$"
LINKING = "![i](http://evil/i.png) [x](http://evil)"
ALERTS = "[data-testid='stAlert']"


@pytest.fixture
def watched(page):
    """The page, and the list of every request it made to the made-up host."""
    evil: list[str] = []
    page.on("request", lambda request: evil.append(request.url) if urlparse(request.url).hostname == "evil" else None)
    return page, evil


def assert_literal(page, evil: list[str], shown: str, where: str = ALERTS) -> None:
    """No element made from a payload in the alerts (or `where`); its characters are there as text."""
    box = page.locator(where)
    expect(box.filter(has_text=shown[:12]).first).to_be_visible(timeout=60_000)
    for tag in ("img[src*='evil']", "a[href*='evil']", ".katex", "h1", "h2", "h3"):
        assert box.locator(tag).filter(has_text=re.compile("HACKED|^i$|^x$")).count() == 0 if tag[0] == "h" \
            else box.locator(tag).count() == 0, (tag, box.locator(tag).all_inner_texts())
    for tag in ("b", "strong"):
        assert box.locator(tag).filter(has_text=re.compile("^x$")).count() == 0, tag
    assert shown in " ".join(" ".join(box.all_inner_texts()).split()), box.all_inner_texts()
    assert not evil, evil


def test_link_field_values_are_text(watched, app_url):
    page, evil = watched
    for payload in (TEXTUAL, LINKING):
        page.goto(f"{app_url}/?image.sample={quote(payload)}")
        wait_idle(page)
        assert_literal(page, evil, payload)


def test_a_settings_file_with_markup_fields_and_version(watched, app_url):
    page, evil = watched
    for data in ({"version": TEXTUAL}, {"version": 1, "image": {LINKING: 1}}, {"version": LINKING}):
        page.goto(app_url)
        wait_idle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_text("Save or load settings", exact=True).first.click()
        sidebar.locator("input[type=file]").set_input_files(files=[
            {"name": "setup.json", "mimeType": "application/json", "buffer": json.dumps(data).encode()}])
        wait_idle(page)
        payload = data.get("version") if data["version"] != 1 else LINKING
        assert_literal(page, evil, payload)
        assert "image.sample" not in page.url  # a bad file changed nothing


def test_an_upload_file_name_is_text(watched, app_url):
    page, evil = watched
    page.goto(app_url)
    wait_idle(page)
    page.locator("[data-testid='stRadio'] label", has_text=re.compile("^Upload")).first.click()
    wait_idle(page)
    name = f"{TEXTUAL}.png"
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "image/png", "buffer": b"not an image at all"}])
    wait_idle(page)
    assert_literal(page, evil, TEXTUAL)


def _zip_with_class(name: str) -> bytes:
    """The generated picture set (set/ball/..., set/box/...) with its "ball" class renamed to `name`."""
    src = zipfile.ZipFile(io.BytesIO(zip_set(12, seed=5)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.namelist():
            dst.writestr(item.replace("set/ball/", f"set/{name}/", 1), src.read(item))
    return out.getvalue()


@pytest.mark.parametrize("name, shown", [
    ("# SERVER HACKED $x^2$", "# SERVER HACKED $x^2$"),  # a class name the set accepts: in the counts line
    (TEXTUAL, "# SERVER HACKED <b>x<"),  # refused for its < >: the message names it (cut short)
])
def test_class_names_from_a_zip_are_text(watched, app_url, name, shown):
    page, evil = watched
    page.goto(app_url + "/training")
    wait_idle(page)
    page.get_by_text("Your pictures", exact=True).first.click()
    wait_idle(page)
    page.locator("[class*='st-key-w-own-zip-'] input[type=file]").set_input_files(files=[
        {"name": "set.zip", "mimeType": "application/zip", "buffer": _zip_with_class(name)}])
    wait_idle(page)
    assert_literal(page, evil, shown, where="[data-testid='stMain']")
