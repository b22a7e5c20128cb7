"""Predict, then check: questions built from the student's own settings, checked with specific hints.

model (Question, Verdict), answers (typed answers and their readers), checker (check, settle),
registry (EXERCISES, exercises_for, make), one generator module per lab, progress (per-tab record),
text (turns a Message whose params hold Messages into a sentence).
"""
