"""Lessons: one scene at a time, self-paced, with the labs' own views."""
from playground.ui.lesson import page
from playground.ui.runtime import boot

boot.require_app()
page.main()
