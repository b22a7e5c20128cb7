"""playground/labs.py is the one list of labs: every page file is in it, every entry has its page file, title and
exercises, and nothing else names the labs' pages by hand."""
from __future__ import annotations

import re
from pathlib import Path

from playground.exercises.registry import EXERCISES, lab_of
from playground.i18n import LANGUAGES, catalogue
from playground.labs import BY_ID, DEFAULT, EXERCISE_LABS, LABS, lab, with_exercises

REPO_ROOT = Path(__file__).resolve().parents[1]


def test_every_page_file_has_one_entry_and_every_entry_its_page_file():
    assert {f"pages/{p.name}" for p in (REPO_ROOT / "pages").glob("*.py")} == {item.page for item in LABS}
    assert len(BY_ID) == len(LABS) and DEFAULT is LABS[0]


def test_page_file_url_path_and_title_follow_from_the_id():
    item = lab("conv_steps")
    assert (item.page, item.url_path, item.title_key) == ("pages/conv_steps.py", "conv_steps", "labs.conv_steps")


def test_every_lab_has_a_title_and_a_material_icon_in_every_language():
    for lang in LANGUAGES:
        assert all(catalogue(lang)[item.title_key] for item in LABS), lang
    assert all(re.fullmatch(r":material/[a-z_]+:", item.icon) for item in LABS)


def test_exercise_prefixes_are_the_labs_of_the_exercises():
    assert set(EXERCISE_LABS) == {lab_of(e) for e in EXERCISES}
    assert with_exercises("steps") is lab("conv_steps") and with_exercises("layers") is lab("layer_lab")


def test_each_page_file_runs_its_own_labs_ui_package():
    for item in LABS:
        source = (REPO_ROOT / item.page).read_text(encoding="utf-8")
        package = "board" if item.id == "class_board" else item.id
        assert f"from playground.ui.{package} import page" in source, item.page
        assert "boot.require_app()" in source, item.page


def test_app_builds_no_page_by_hand():
    source = (REPO_ROOT / "app.py").read_text(encoding="utf-8")
    assert source.count("st.Page(") == 1 and "for lab in LABS" in source
    assert not re.search(r"pages/\w+\.py", source)
