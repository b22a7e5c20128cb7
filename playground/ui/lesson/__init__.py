"""The lesson page: one scene at a time (text, the controls that matter, the lab's own view, a prediction).

scene (show_scene: what a solo student, a class's student or the teacher sees of one scene), views (each
scene view drawn by the labs' own functions), controls (one open control drawn by its lab's widget),
predict (the self-paced prediction panel), page (the lesson picker, a teacher's file, Back / Next).
"""
