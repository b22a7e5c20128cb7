"""A bad settings file: its message once, in the page's language; the settings unchanged; every page still works."""
import json

import pytest

from playground.i18n import t
from playground.ui.state import SPEC
from testkit.apptest import open_app

BAD = {
    "not json": b"{ this is not json",
    "deep": b"[" * 5000 + b"]" * 5000,
    "infinity": json.dumps({"image": {"long_side": "x"}}).replace('"x"', "1e400").encode(),
    "markup field": json.dumps({"# SERVER HACKED": 1, "version": "[x](http://evil.example)"}).encode(),
}


def _import(at, data: bytes):
    at.file_uploader(key="w.ui.import").set_value(("settings.json", data, "application/json")).run()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(BAD))
def test_bad_settings_file_shows_its_message_once_and_changes_nothing(name, lang):
    at = open_app(lang=lang, query={"augment.angle": "30"})
    before = at.session_state[SPEC]
    _import(at, BAD[name])
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "Traceback" not in errors[0]
    assert at.session_state[SPEC] == before  # nothing changed: the angle from the link stays
    at.run()  # the file still in the uploader: one message beside it, never stacked, nothing applied again
    assert not at.exception and [e.value for e in at.error] == errors
    assert at.session_state[SPEC] == before
    for page in ("pages/conv_steps.py", "pages/layer_lab.py", "pages/training.py", "pages/image_lab.py"):
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title and at.title[0].value  # the page drew
    assert at.session_state[SPEC].augment.angle == 30  # (the Layer lab's first visit adds its default stack)


def test_the_message_is_in_the_pages_language():
    at = open_app(lang="zh")
    _import(at, BAD["not json"])
    assert at.error and any("\u4e00" <= ch <= "\u9fff" for ch in at.error[0].value)
    assert t("spec.bad_json", "zh").split("{")[0][:4] in at.error[0].value


def test_a_settings_file_saved_with_a_byte_order_mark_loads():
    at = open_app(lang="en")
    good = json.dumps({"augment": {"angle": 45}}).encode()
    _import(at, b"\xef\xbb\xbf" + good)
    assert not at.exception and not at.error
    assert at.session_state[SPEC].augment.angle == 45
