"""playground/ui/messages.py: user values fill message templates as text that markdown shows literally, no links.

The oracle for "no link" is the GitHub-flavoured markdown autolink rule (www., http(s)://, and e-mail addresses,
each starting after a space, the start or one of * _ ~ (), applied to the text left once escapes are read;
the browser test tests/browser/test_markup_injection.py checks the real page.
"""
from __future__ import annotations

import re

import pytest

from playground.errors import Message
from playground.i18n import t
from playground.ui import messages
from testkit.markdown import shown

# GFM's extended autolinks (spec 0.29, section 6.9): what a markdown renderer would turn into <a>.
AUTOLINK = re.compile(r"(?i)(?:^|(?<=[\s*_~(]))(?:www\.|https?://|(?:mailto|xmpp):[\w.+-]+@)|[\w.+-]+@[\w-]+\.[\w-]")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

ADDRESSES = ["www.evil-login.example", "http://x.example", "HTTPS://X.EXAMPLE/a?b=1", "(www.p.example)",
             "*www.s.example*", "mail me: a@evil.example", "mailto:a@evil.example", "xmpp:a@x.example/r",
             "go to www.evil.example now", "WwW.mixed.example"]


def read(markdown: str) -> str:
    """The text a CommonMark parser keeps once backslash escapes are read (where autolinks are looked for)."""
    return _ESCAPE.sub(r"\1", markdown)


@pytest.mark.parametrize("value", ADDRESSES)
def test_a_web_address_is_no_autolink_and_reads_as_typed(value):
    assert AUTOLINK.search(value), "the oracle sees the link in the raw value"
    out = messages.plain(value)
    assert not AUTOLINK.search(read(out)), out
    assert shown(out) == value  # the same characters, the joiners are invisible


def test_plain_text_without_addresses_is_only_escaped():
    assert messages.plain("photo.png") == "photo\\.png" and messages.plain("a  b\nc") == "a b c"
    assert messages.plain("<b>x</b>") == "\\<b\\>x\\<\\/b\\>"


def test_a_message_with_a_file_name_that_looks_like_an_address_is_no_link(monkeypatch):
    monkeypatch.setattr(messages, "tr", lambda key, **params: t(key, "en", **params))
    text = messages.text(Message("image.file_refused", {"name": "www.evil-login.example.png",
                                                        "reason": Message("image.file_too_big", {"mb": 9, "cap": 8})}))
    assert "www.evil-login.example.png" in shown(text) and "www.evil" not in read(text)
