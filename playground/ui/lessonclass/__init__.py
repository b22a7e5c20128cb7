"""A lesson run as a class: the teacher's controls on the class board (teacher.py), the projector's histogram
(chart.py), and the students' pages following the teacher's scene (follow.py, called by the lesson page)."""
