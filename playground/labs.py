"""The one list of labs: every page of the app's navigation, in menu order, the first one the default page.

A lab's id names it everywhere: its page file `pages/<id>.py`, its URL path `/<id>` (links people already
have: never rename one), its UI package `playground/ui/<id>/` (the board's is `playground/ui/board/`) and its
title `labs.<id>` in the catalogue (`playground/i18n/<lang>/labs.toml`). `app.py` builds the navigation from
this list; the exercises, the board's links, testkit and the tests read it. Adding a lab is one entry here,
plus its page file and its title in both catalogues.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lab:
    """One page of the navigation."""

    id: str  # "conv_steps": page file, URL path, UI package and title key all follow from it
    icon: str  # the navigation's Material icon, ":material/<name>:"
    exercises: str | None = None  # the prefix of its "Check yourself" exercise ids ("steps" in "steps.out_size")

    @property
    def page(self) -> str:
        """The page file, relative to the repository root ("pages/conv_steps.py")."""
        return f"pages/{self.id}.py"

    @property
    def url_path(self) -> str:
        """The page's path in the app's address ("conv_steps")."""
        return self.id

    @property
    def title_key(self) -> str:
        """The catalogue key of the page's title in the navigation and in links to it."""
        return f"labs.{self.id}"


LABS: tuple[Lab, ...] = (
    Lab("image_lab", ":material/image:", exercises="image"),
    Lab("conv_steps", ":material/grid_goldenratio:", exercises="steps"),
    Lab("layer_lab", ":material/layers:", exercises="layers"),
    Lab("training", ":material/model_training:", exercises="training"),
    Lab("lesson", ":material/school:"),
    Lab("class_board", ":material/leaderboard:"),
)
DEFAULT = LABS[0]  # what the app's root address shows
BY_ID = {lab.id: lab for lab in LABS}
EXERCISE_LABS = tuple(lab.exercises for lab in LABS if lab.exercises)  # ("image", "steps", "layers", "training")


def lab(lab_id: str) -> Lab:
    """The lab with this id; KeyError for an unknown one."""
    return BY_ID[lab_id]


def with_exercises(prefix: str) -> Lab:
    """The lab whose exercise ids start with prefix ("steps" -> the conv_steps lab); KeyError when none."""
    for item in LABS:
        if item.exercises == prefix:
            return item
    raise KeyError(prefix)
