"""Every project path named in README.md, docs/**/*.md and the docstrings and comments of our Python files exists.

A path is a token that starts with one of the project's folders (playground/, tests/, docs/, ...) or names a
top-level file (app.py, serve.py, pyproject.toml, ...). A shorter Python path such as `ui/board/publish.py` or
`layer_lab/run.py` must exist under the repository, playground/ or playground/ui/. Patterns are not paths:
a token with `*`, `{` or `<` is skipped.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from testkit.server import REPO_ROOT

TOP = r"(?:\.ci|\.streamlit|playground|pages|tests|testkit|bench|docs)/[\w./<>{},*-]*[\w/>}*]"
FILES = r"app\.py|serve\.py|requirements(?:-dev)?\.txt|pyproject\.toml"
PATH = re.compile(rf"(?<![\w./-])({TOP}|{FILES})")
SHORT = re.compile(r"(?<![\w./-])((?:[a-z_]+/)+[a-z_]+\.py)\b")  # ui/board/publish.py, layer_lab/run.py
ROOTS = ("", "playground/", "playground/ui/")  # where a short path may start
SKIP_DIRS = {".git", ".venv", "node_modules"}


def python_files() -> list[Path]:
    return [p for p in sorted(REPO_ROOT.rglob("*.py")) if not SKIP_DIRS & set(p.relative_to(REPO_ROOT).parts)]


def docstrings(path: Path) -> list[str]:
    """The module's, its classes' and its functions' docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
    return [d for n in nodes if (d := ast.get_docstring(n, clean=False))]


COMMENT = re.compile(r"#[^\n]*")


def comments(path: Path) -> list[str]:
    """The file's # comments (and the rest of any line with a # in a string: a path there is checked too)."""
    return COMMENT.findall(path.read_text(encoding="utf-8"))


def named_paths(text: str) -> set[str]:
    """The project paths a text names (trailing punctuation dropped, patterns skipped)."""
    found = {m.group(1).rstrip("/.,") for m in PATH.finditer(text)}
    return {p for p in found if not set("*{<") & set(p)}


def short_paths(text: str) -> set[str]:
    """The shorter Python paths a text names that are not full project paths."""
    full = named_paths(text)
    return {m.group(1) for m in SHORT.finditer(text) if not any(f.endswith(m.group(1)) for f in full)}


def exists(path: str, roots: tuple[str, ...] = ("",)) -> bool:
    return any((REPO_ROOT / root / path).exists() for root in roots)


def sources() -> dict[str, str]:
    """Where to look: README, docs, every docstring; keyed by file (docstrings of one file joined)."""
    texts = {str(p.relative_to(REPO_ROOT)): p.read_text(encoding="utf-8")
             for p in [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]}
    for p in python_files():
        texts[str(p.relative_to(REPO_ROOT))] = "\n".join(docstrings(p) + comments(p))
    return texts


def test_the_path_finder_finds_paths_and_skips_patterns():
    text = "See `playground/layers/kinds.py`, tests/test_<lab>_page.py, playground/i18n/{en,zh}/*.toml and app.py."
    assert named_paths(text) == {"playground/layers/kinds.py", "app.py"}


def test_the_short_path_finder_finds_paths_below_the_package():
    text = "`ui/board/publish.py`, layer_lab/run.py:heavy_share, and playground/ui/state.py in full."
    assert short_paths(text) == {"ui/board/publish.py", "layer_lab/run.py"}
    assert exists("ui/board/publish.py", ROOTS) and exists("layer_lab/run.py", ROOTS)
    assert not exists("ui/lessons.py", ROOTS)


def test_every_named_path_exists():
    missing = [f"{where}: {path}" for where, text in sources().items() for path in sorted(named_paths(text))
               if not exists(path)]
    missing += [f"{where}: {path}" for where, text in sources().items() for path in sorted(short_paths(text))
                if not exists(path, ROOTS)]
    assert not missing, "paths named in the docs that do not exist:\n" + "\n".join(missing)
