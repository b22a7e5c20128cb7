"""The first visit's run (the Image lab) imports neither torch, scikit-learn nor SQLAlchemy: they cost seconds at a cold start.

torch comes with the background warm-up (playground/ui/runtime/housekeeping.py) or the first lab that needs it.
Checked in a fresh interpreter, because this test process has torch already.
"""
import subprocess
import sys

SCRIPT = """
import sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120)
at.run()
assert not at.exception, [e.value for e in at.exception]
assert at.get("image")  # the first picture was drawn
print(sorted(m for m in ("torch", "sklearn", "captum", "sqlalchemy", "alembic") if m in sys.modules))
"""


def test_the_image_labs_first_run_needs_no_torch_sklearn_or_database_library():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
