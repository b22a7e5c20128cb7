"""Tests for playground/i18n: the two catalogues agree, and locales map to languages."""
from __future__ import annotations

import re
import string

import pytest

from playground.i18n import LANGUAGES, catalogue, language_from_locale, t


def placeholders(text: str) -> set[str]:
    """The {field} names used in a str.format template."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


class _Any:
    """Stands in for any value: accepts every format spec ('{lo:.3g}', '{n:d}')."""

    def __format__(self, spec: str) -> str:
        return "X"

    def __getattr__(self, name: str) -> _Any:
        return self

    def __getitem__(self, key) -> _Any:
        return self


def test_every_language_has_a_catalogue_and_browsers_reach_it():
    assert {language_from_locale(loc) for loc in ("en-US", "zh-CN", "zh-TW", "fr-FR", None)} <= set(LANGUAGES)
    assert language_from_locale("zh-CN") == "zh" and language_from_locale("de-DE") == "en"
    titles = {lang: t("image.title", lang) for lang in LANGUAGES}
    assert len(set(titles.values())) == len(LANGUAGES)  # each language really has its own text


def test_catalogues_have_identical_keys():
    en, zh = set(catalogue("en")), set(catalogue("zh"))
    assert en - zh == set(), f"missing in zh/: {sorted(en - zh)}"
    assert zh - en == set(), f"missing in en/: {sorted(zh - en)}"


def test_placeholders_match_for_every_key():
    en, zh = catalogue("en"), catalogue("zh")
    diff = {k: (placeholders(en[k]), placeholders(zh[k]))
            for k in en.keys() & zh.keys() if placeholders(en[k]) != placeholders(zh[k])}
    assert not diff, f"placeholders differ (en, zh): {diff}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_empty_strings(lang):
    empty = [k for k, v in catalogue(lang).items() if not v.strip()]
    assert not empty, f"empty strings in {lang}/: {empty}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_template_formats_with_its_own_placeholders(lang):
    """A malformed template ('{x', '{0}') would only blow up in front of a student."""
    for key, text in catalogue(lang).items():
        params = {re.split(r"[.\[]", name)[0]: _Any() for name in placeholders(text)}
        t(key, lang, **params)


def test_zh_catalogue_is_actually_chinese():
    assert any("\u4e00" <= ch <= "\u9fff" for ch in catalogue("zh")["app.title"])


@pytest.mark.parametrize("locale", ["zh-CN", "zh-TW", "zh", "zh-Hans-CN", "ZH-cn"])
def test_chinese_locales_map_to_zh(locale):
    assert language_from_locale(locale) == "zh"


@pytest.mark.parametrize("locale", ["en-US", None, "", "fr", "fr-FR", "de-DE"])
def test_other_locales_map_to_en(locale):
    assert language_from_locale(locale) == "en"


# Names that read the same in both languages (a colour map, optimizers); anything else equal in en and zh
# is an English string copied into zh.toml and never translated.
SAME_IN_BOTH = {"Viridis", "SGD", "Adam", "RMSprop"}


def test_no_english_string_was_copied_into_zh_untranslated():
    en, zh = catalogue("en"), catalogue("zh")
    copied = {k: v for k, v in en.items() if zh.get(k) == v and v not in SAME_IN_BOTH
              and re.search(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", v))}
    assert not copied, f"zh/ repeats these English strings: {copied}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_explanation_topic_and_lockable_control_has_text(lang):
    from playground.classroom.lock import field_paths, sections
    from playground.ui.explain import TOPICS

    cat = catalogue(lang)
    missing = [f"explain.{t}" for t in TOPICS if f"explain.{t}" not in cat or f"explain.titles.{t}" not in cat]
    missing += [f"classroom.sections.{s}" for s in sections() if f"classroom.sections.{s}" not in cat]
    missing += [p for p in field_paths() if f"classroom.fields.{p.replace('.', '_')}" not in cat]
    assert not missing, f"{lang}/ lacks: {missing}"
