"""playground/ui/runtime/boot.py relies on one Streamlit internal: fail loudly, with what to do, if an upgrade changes it."""
from __future__ import annotations

import inspect

import streamlit
from streamlit.commands import navigation
from streamlit.runtime import pages_manager
from streamlit.runtime.scriptrunner import script_runner

WHAT_TO_DO = (f"Streamlit {streamlit.__version__} changed how a pages/ folder is handled. Re-check "
              "playground/ui/runtime/boot.py: open /layer_lab on a freshly started server (tests/browser/test_pages_load.py "
              "has the cold-server test) and either drop the guard or point it at the new switch.")


def test_the_legacy_pages_flag_still_exists_and_starts_unset():
    assert hasattr(pages_manager.PagesManager, "uses_pages_directory"), WHAT_TO_DO
    source = inspect.getsource(pages_manager.PagesManager.__init__)
    assert "uses_pages_directory is None" in source and '"pages"' in source, WHAT_TO_DO


def test_the_script_runner_still_branches_on_it():
    source = inspect.getsource(script_runner.ScriptRunner)
    assert "if PagesManager.uses_pages_directory:" in source and "_mpa_v1(" in source, WHAT_TO_DO


def test_st_navigation_still_turns_it_off():
    source = inspect.getsource(navigation.navigation)
    assert "PagesManager.uses_pages_directory = False" in source, WHAT_TO_DO
