"""Sizes on screen say MiB: every size the app computes divides by 2**20, so "MB" (10**6 bytes) would be wrong."""
import re

from playground.i18n import LANGUAGES, catalogue


def test_no_catalogue_text_says_mb_for_a_binary_megabyte():
    for lang in LANGUAGES:
        wrong = [key for key, text in catalogue(lang).items() if re.search(r"\bMB\b", str(text))]
        assert not wrong, (lang, wrong)
    assert any("MiB" in str(text) for text in catalogue("zh").values())
