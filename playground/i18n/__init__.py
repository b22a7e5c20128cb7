"""Language catalogues: a folder of TOML files per language (one file per area), looked up by dotted key."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from playground.errors import Message

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
_DIR = Path(__file__).parent


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    """Turn nested TOML tables into {"section.key": text}."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, keyed by dotted name: every playground/i18n/<lang>/*.toml, one per area."""
    flat: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.toml")):
        with open(path, "rb") as fh:
            part = _flatten(tomllib.load(fh))
        twice = flat.keys() & part.keys()
        if twice:
            raise ValueError(f"{path.name} repeats catalogue keys: {sorted(twice)[:5]}")
        flat.update(part)
    return flat


def language_from_locale(locale: str | None) -> str:
    """Map a browser locale such as 'zh-CN' or 'en-US' to one of our languages."""
    if locale and locale.lower().startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """The text for key in lang, with {placeholders} filled; a missing key raises KeyError."""
    text = catalogue(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)[key]
    return text.format(**params) if params else text


def tm(message: Message, lang: str = DEFAULT_LANGUAGE) -> str:
    """Translate a core Message (or an error's .message); a Message inside its params is translated too."""
    return t(message.key, lang, **{k: tm(v, lang) if isinstance(v, Message) else v for k, v in message.params.items()})
