"""Lessons: one scene at a time, self-paced, with the labs' own views."""
from playground.ui.runtime import boot
from playground.ui.lesson import page

boot.require_app()
page.main()
