"""Class board UI: create / join a board, the teacher's tools, the live view, publishing from the Training lab."""
