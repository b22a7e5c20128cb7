""""Check yourself": the panel every lab shows (`panel.panel(prefix, **ctx)`, with the lab's exercise prefix from
playground/labs.py), the tab's exercise state (`session`) and the learning-rate prediction's two trainings
(`pair`). The questions and checks themselves live in the core, `playground/exercises/`.
"""
