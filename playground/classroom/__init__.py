"""Classroom tools: the teacher's lock / hide link keys and the lesson presets."""
