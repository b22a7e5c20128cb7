"""User values reach the page as text, never markup or links, on every message path that shows one.

st.warning / st.error render markdown: a field name or version from a share link or settings file shown there
as markdown could draw a fake heading ("SERVER HACKED"), a link to any host, or an image fetched from any host.
Markdown, HTML and KaTeX are sent here through link fields and values, a settings file's fields and
version, an upload's file name and a zip's class names; the real DOM must hold none of the elements they would
make, the text must be shown literally, and the browser must fetch nothing from the made-up host. Web
addresses (www., http://, e-mail) typed in a link field, a file name or a board nickname (the projected table,
the entry picker, the "settings loaded" note) must not become a link either.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import quote, urlparse

import pytest
from playwright.sync_api import expect

from playground.board.store import open_store
from playground.i18n import catalogue
from testkit.boarddata import sample_entry
from testkit.browser import wait_idle
from testkit.pictures import zip_set

# Two payloads, each within the 40 characters a message shows of a user value (playground/untrusted.py SHORT).
TEXTUAL = "# SERVER HACKED <b>x</b> $x^2$"
LINKING = "![i](http://evil/i.png) [x](http://evil)"
ALERTS = "[data-testid='stAlert']"
JOINER = "\u2060"  # the invisible word joiner the page puts where an autolink would start


@pytest.fixture
def watched(page):
    """The page, and the list of every request it made to the made-up host."""
    evil: list[str] = []
    page.on("request", lambda request: evil.append(request.url) if urlparse(request.url).hostname == "evil" else None)
    return page, evil


def assert_literal(page, evil: list[str], shown: str, where: str = ALERTS) -> None:
    """No element made from a payload in the alerts (or `where`); its characters are there as text."""
    box = page.locator(where)
    wait_for_text(page, shown[:12], where)  # read without the invisible joiners that break autolinks
    for tag in ("img[src*='evil']", "a[href*='evil']", ".katex", "h1", "h2", "h3"):
        assert box.locator(tag).filter(has_text=re.compile("HACKED|^i$|^x$")).count() == 0 if tag[0] == "h" \
            else box.locator(tag).count() == 0, (tag, box.locator(tag).all_inner_texts())
    for tag in ("b", "strong"):
        assert box.locator(tag).filter(has_text=re.compile("^x$")).count() == 0, tag
    assert shown in " ".join(" ".join(box.all_inner_texts()).replace(JOINER, "").split()), box.all_inner_texts()
    assert not evil, evil


def test_link_field_values_are_text(watched, app_url):
    page, evil = watched
    for payload in (TEXTUAL, LINKING):
        page.goto(f"{app_url}/?image.sample={quote(payload)}")
        wait_idle(page)
        assert_literal(page, evil, payload)


@pytest.mark.slow  # long: runs first (tests/conftest.py)
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
    ("www.evil-login.example", "www.evil-login.example"),  # a web address: no link (assert_literal's a[href])
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


# Web addresses: escaping alone leaves them to markdown's autolinks (www., http://, e-mail), drawn as <a>.
ADDRESSES = ("www.evil-login.example http://x.example", "mail a@evil-login.example")
NICKNAMES = ("www.evil-login.example", "http://x.example", "a@evil-login.example")


def wait_for_text(page, text: str, where: str) -> None:
    """Until an element of `where` shows text (its invisible joiners left out)."""
    page.wait_for_function("([where, text, joiner]) => [...document.querySelectorAll(where)].some("
                           "e => e.innerText.replaceAll(joiner, '').replace(/\\s+/g, ' ').includes(text))",
                           arg=[where, text, JOINER], timeout=60_000)


def assert_no_link(page) -> None:
    """No <a> anywhere on the page points to, or reads as, one of the typed addresses' hosts."""
    found = page.evaluate("""([hosts, joiner]) => [...document.querySelectorAll('a')].map(
        a => [a.getAttribute('href') || '', a.innerText.replaceAll(joiner, '')]).filter(
        ([href, text]) => hosts.some(h => href.includes(h) || text.includes(h)))""",
                          [["evil-login", "x.example"], JOINER])
    assert not found, found


def test_web_addresses_in_link_fields_are_text(page, app_url):
    for payload in ADDRESSES:
        page.goto(f"{app_url}/?image.sample={quote(payload)}")
        wait_for_text(page, payload, ALERTS)
        wait_idle(page, timeout=120_000)
        assert_no_link(page)


def test_a_file_name_that_is_a_web_address_is_text(page, app_url):
    page.goto(app_url)
    wait_idle(page, timeout=120_000)
    page.locator("[data-testid='stRadio'] label", has_text=re.compile("^Upload")).first.click()
    wait_idle(page, timeout=120_000)
    name = "www.evil-login.example.png"
    page.locator("[data-testid='stMain'] [data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": name, "mimeType": "image/png", "buffer": b"not an image at all"}])
    wait_for_text(page, name, ALERTS)
    wait_idle(page, timeout=120_000)
    assert_no_link(page)


@pytest.fixture
def nick_board():
    """A board (in the database the app server uses) with one entry per nickname that is a web address."""
    store = open_store()
    code, _key = store.create_board()
    for i, nick in enumerate(NICKNAMES):
        store.publish(code, nick, sample_entry(i + 1))
    return code


def test_nicknames_that_are_web_addresses_stay_text_on_the_board(page, app_url, nick_board):
    en = catalogue("en")
    page.goto(f"{app_url}/class_board?class={nick_board}&projector=1")  # the projected board: a markdown table
    for nick in NICKNAMES:
        wait_for_text(page, nick, "[data-testid='stTable']")
    wait_idle(page, timeout=120_000)
    assert_no_link(page)
    page.goto(f"{app_url}/class_board?class={nick_board}")
    picker = page.get_by_role("combobox", name=en["board.page.pick"])
    expect(picker).to_be_visible(timeout=60_000)
    wait_idle(page, timeout=120_000)
    picker.click()
    option = page.get_by_role("option", name=re.compile(re.escape(NICKNAMES[0])))
    option.click()
    wait_idle(page, timeout=120_000)
    page.get_by_role("button", name=en["board.page.open_setup"]).click()  # its note names the nickname
    wait_for_text(page, en["board.page.opened"].format(nick=NICKNAMES[0]).replace("**", ""), ALERTS)
    wait_idle(page, timeout=120_000)
    picker.click()  # the picker's options, open
    expect(page.get_by_role("option")).to_have_count(len(NICKNAMES))
    assert_no_link(page)
