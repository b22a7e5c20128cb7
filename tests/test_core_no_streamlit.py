"""The core package (playground/, except playground/ui/) imports and works without streamlit."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGE = REPO_ROOT / "playground"
UI = PACKAGE / "ui"

# Runs in a fresh interpreter so blocking streamlit cannot leak into other tests.
_CHILD = """
import importlib, json, sys, traceback
sys.modules["streamlit"] = None  # any `import streamlit` now raises ImportError
failures = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except BaseException:
        failures[name] = traceback.format_exc(limit=3)
print(json.dumps(failures))
"""


def core_files() -> list[Path]:
    """Every .py file of the core package, outside playground/ui/."""
    return sorted(p for p in PACKAGE.rglob("*.py") if UI not in p.parents)


def module_name(path: Path) -> str:
    """playground/i18n/__init__.py -> playground.i18n; playground/spec.py -> playground.spec."""
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_discovery_finds_the_core():
    names = [module_name(p) for p in core_files()]
    assert "playground" in names and "playground.spec" in names
    assert not any(n.startswith("playground.ui") for n in names)


def test_every_core_module_imports_with_streamlit_blocked():
    names = [module_name(p) for p in core_files()]
    proc = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(names)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    failures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not failures, "\n\n".join(f"{name}:\n{tb}" for name, tb in failures.items())


def test_no_core_source_mentions_a_streamlit_import():
    """Catches imports inside functions too, which the import test above cannot see."""
    offenders = []
    for path in core_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            if "streamlit" in roots:
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert not offenders, f"core modules import streamlit: {offenders}"
