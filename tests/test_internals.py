"""playground/ui/runtime/internals.py is the one module that reaches into Streamlit: nothing else imports a Streamlit
submodule, and every internal name it uses still exists with the shape it relies on (checked against the
installed Streamlit, so an upgrade fails here, with the name, before it fails in a classroom).
The guard's own behaviour: tests/test_widget_guard.py, tests/test_boot.py, tests/test_housekeeping.py."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import streamlit
from streamlit import runtime
from streamlit.runtime import app_session, memory_session_storage, memory_uploaded_file_manager, websocket_session_manager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext

REPO_ROOT = Path(__file__).resolve().parents[1]
INTERNALS = REPO_ROOT / "playground" / "ui" / "runtime" / "internals.py"
UPGRADE = f"Streamlit {streamlit.__version__} changed an internal that playground/ui/runtime/internals.py uses"


def _app_modules() -> list[Path]:
    """Every Python file of the app: the package, the page files, app.py and serve.py."""
    return sorted([*(REPO_ROOT / "playground").rglob("*.py"), *(REPO_ROOT / "pages").glob("*.py"),
                   REPO_ROOT / "app.py", REPO_ROOT / "serve.py"])


def _streamlit_submodules(path: Path) -> set[str]:
    """The Streamlit submodules a file imports (`import streamlit.x`, `from streamlit.x import`, `from streamlit import
    runtime`); plain `import streamlit` is the public API and not counted."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("streamlit.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "streamlit":
            if node.module != "streamlit":
                found.add(node.module)
            else:
                found |= {f"streamlit.{a.name}" for a in node.names if a.name in {"runtime", "logger", "web", "elements"}}
    return found


def test_only_the_internals_module_imports_streamlit_submodules():
    touching = {str(p.relative_to(REPO_ROOT)): sorted(mods) for p in _app_modules() if (mods := _streamlit_submodules(p))}
    assert set(touching) == {"playground/ui/runtime/internals.py"}, touching


def test_no_other_module_names_a_private_streamlit_attribute():
    private = ("_session_mgr", "_session_storage", "_get_async_objs", "uses_pages_directory", "uploaded_file_mgr",
               "set_widget_from_proto", "get_script_run_ctx")
    named = {str(p.relative_to(REPO_ROOT)): [n for n in private if n in p.read_text(encoding="utf-8")]
             for p in _app_modules() if p != INTERNALS}
    assert {k: v for k, v in named.items() if v} == {}


def test_the_session_storage_path_still_exists():
    assert "_session_mgr" in inspect.getsource(runtime.Runtime.__init__), UPGRADE
    assert hasattr(runtime.Runtime, "_get_async_objs"), UPGRADE
    manager = inspect.getsource(websocket_session_manager.WebsocketSessionManager)
    assert "self._session_storage = session_storage" in manager, UPGRADE
    storage = memory_session_storage.MemorySessionStorage(ttl_seconds=1)
    assert callable(storage._cache.expire), UPGRADE  # noqa: SLF001 - what reap_expired calls
    assert callable(app_session.AppSession.shutdown), UPGRADE


def test_the_script_run_context_still_holds_the_session_id_and_the_upload_store():
    fields = ScriptRunContext.__dataclass_fields__
    assert {"session_id", "uploaded_file_mgr"} <= set(fields), UPGRADE
    assert list(inspect.signature(memory_uploaded_file_manager.MemoryUploadedFileManager.remove_file).parameters) == \
        ["self", "session_id", "file_id"], UPGRADE
    assert get_script_run_ctx() is None  # outside a script run: internals.session_id() answers None


def test_outside_a_running_server_the_helpers_do_nothing():
    from playground.ui.runtime import internals

    assert internals.session_id() is None
    assert internals.reap_closed_sessions() == 0
    internals.forget_upload(object())  # no script run: nothing to free, no error
