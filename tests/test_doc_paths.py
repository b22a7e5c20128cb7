"""Every project path named in README.md, docs/*.md and the docstrings of our Python files exists.

A path is a token that starts with one of the project's folders (playground/, tests/, docs/, ...) or names a
top-level file (app.py, pyproject.toml, ...). Patterns are not paths: a token with `*`, `{` or `<` is skipped.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from testkit.server import REPO_ROOT

TOP = r"(?:\.ci|\.streamlit|playground|pages|tests|testkit|bench|docs)/[\w./<>{},*-]*[\w/>}*]"
FILES = r"app\.py|requirements(?:-dev)?\.txt|pyproject\.toml"
PATH = re.compile(rf"(?<![\w./-])({TOP}|{FILES})")
SKIP_DIRS = {".git", ".venv", "node_modules"}


def python_files() -> list[Path]:
    return [p for p in sorted(REPO_ROOT.rglob("*.py")) if not SKIP_DIRS & set(p.relative_to(REPO_ROOT).parts)]


def docstrings(path: Path) -> list[str]:
    """The module's, its classes' and its functions' docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
    return [d for n in nodes if (d := ast.get_docstring(n, clean=False))]


def named_paths(text: str) -> set[str]:
    """The project paths a text names (trailing punctuation dropped, patterns skipped)."""
    found = {m.group(1).rstrip("/.,") for m in PATH.finditer(text)}
    return {p for p in found if not set("*{<") & set(p)}


def sources() -> dict[str, str]:
    """Where to look: README, docs, every docstring; keyed by file (docstrings of one file joined)."""
    texts = {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
             for p in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]}
    for p in python_files():
        texts[str(p.relative_to(REPO_ROOT))] = "\n".join(docstrings(p))
    return texts


def test_the_path_finder_finds_paths_and_skips_patterns():
    text = "See `playground/layers/kinds.py`, tests/test_<lab>_page.py, playground/i18n/{en,zh}/*.toml and app.py."
    assert named_paths(text) == {"playground/layers/kinds.py", "app.py"}


def test_every_named_path_exists():
    missing = [f"{where}: {path}" for where, text in sources().items() for path in sorted(named_paths(text))
               if not (REPO_ROOT / path).exists()]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)
