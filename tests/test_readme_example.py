"""The README's "From a notebook" example runs as written."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def notebook_example() -> str:
    """The first python code block after the "## From a notebook" heading."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## From a notebook"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_notebook_example_runs_and_prints_every_layer():
    ns, out = {}, io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(notebook_example(), "README.md", "exec"), ns)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(ns["spec"].net.layers) == len(ns["maps"]) == 4
    assert lines[0].startswith("1 Conv2d (8, ") and lines[-1].startswith("4 Conv2d (3, ")
    assert all(m.dtype.name == "float32" and m.ndim == 3 for m in ns["maps"])
