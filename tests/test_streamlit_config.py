""".streamlit/config.toml names only options that the installed Streamlit knows, with values it accepts."""
from __future__ import annotations

import tomllib
from pathlib import Path

import streamlit.config as st_config

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"

EXPECTED = {
    "server.maxUploadSize": 20,
    "server.maxMessageSize": 50,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.showEmailPrompt": False,
    "runner.postScriptGC": False,
    "browser.gatherUsageStats": False,
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    "client.showErrorLinks": False,
}


def options() -> dict:
    """The file's settings as {"section.key": value}."""
    table = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, keys in table.items() for key, value in keys.items()}


def test_every_key_is_a_streamlit_option():
    unknown = set(options()) - set(st_config.get_config_options())
    assert not unknown, f"unknown to streamlit: {unknown}"


def test_classroom_values():
    assert options() == EXPECTED

