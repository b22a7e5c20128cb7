"""CI load smoke test: a handful of real sessions (bench/load.py, websocket protocol) against the shared server.

Zero client errors (no exception element, no unanswered action, no missing picture), every student action
seen, the one training watched to its end, the server's memory and threads read while it ran. How fast the
answers came is bench/load.py's business (docs/benchmarks.md), not this test's.
"""
from __future__ import annotations

from pathlib import Path

from testkit import load
from testkit.threads import run_async
from testkit.wait import log_count, wait_for_log

ACTIONS = {"open_link", "pick_sample", "open_layer_lab", "slider_kernel", "slider_stride", "open_conv_steps", "step",
           "open_training", "start_training", "train_tick"}


def test_four_students_one_round_each_see_no_error(app_url):
    url = app_url
    args = load.parse(["--url", url, "--sessions", "4", "--seconds", "5", "--ramp", "2", "--think", "0.2", "0.6",
                       "--trainings", "1", "--epochs", "1", "--drags", "2", "--steps", "2", "--sample", "0.5"])
    report = run_async(load.main_async(args))
    print(load.Recorder.format(report))
    assert report["errors"] == []  # an action the server did not answer within the client's timeout is an error
    assert ACTIONS <= set(report["actions"]), f"actions never done: {ACTIONS - set(report['actions'])}"
    assert len(report["trainings"]) == 1, "the training was not watched to its end"
    (pid, server), = report["server"].items()
    assert server["rss_mib_max"] > 0 and server["threads_max"] > 0


def test_a_class_opening_the_link_of_a_fresh_server_together_sees_no_exception(serve):
    """30 sessions within 1 s of a cold `streamlit run app.py`: concurrent first runs import the same modules."""
    url, log = serve("app.py")
    args = load.parse(["--url", url, "--arrival", "--sessions", "30", "--ramp", "1", "--no-warmup", "--timeout", "240",
                       "--sample", "0.5"])
    report = run_async(load.main_async(args))
    print(load.Recorder.format(report))
    assert report["errors"] == []  # no exception element, no timeout, every picture fetched
    assert report["actions"]["open_link"]["n"] == 30
    assert "Uncaught app execution" not in log.read_text(errors="replace")
    assert report["arrival"]["warm_open"] > 0  # the warm session's baseline was measured after the class


def test_two_students_each_read_a_picture_set_through_the_upload_protocol(app_url, request):
    url, log = app_url, Path(request.config._streamlit_log)
    released = "own picture set released with the session (18 pictures)"
    before = log_count(log, released)
    args = load.parse(["--url", url, "--own-sets", "2", "--own-per-class", "6", "--hold", "0.5", "--settle", "1",
                       "--sample", "0.5"])
    report = run_async(load.main_async(args))
    print(load.Recorder.format(report))
    assert report["errors"] == []
    assert report["own_sets"] == [18, 18]  # every tab's set was read from its zip
    assert {"open_training", "choose_yours", "upload_set"} <= set(report["actions"])
    wait_for_log(log, released, more_than=before + 1)  # both tabs' sets were released with their sessions
