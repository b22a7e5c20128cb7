"""bench/flame.py: py-spy collapsed stacks go to the page area that asked for the work; waiting threads are left out."""
from __future__ import annotations

from bench import flame

RUNNER = "ScriptRunner._run_script (/sp/streamlit/runtime/scriptrunner/script_runner.py:600)"
APP = "<module> (/repo/app.py:20)"
PAGE = "main (/repo/pages/layer_lab.py:160)"
PROFILE = "\n".join([
    # the forward, inside the page: forward wins over the page
    ";".join([RUNNER, APP, PAGE, "feature_maps (/repo/playground/model.py:99)", "forward (/sp/torch/nn/modules/conv.py:5)"])
    + " 50",
    # a sidebar selectbox: the sidebar wins over Streamlit's element code and protobuf under it
    ";".join([RUNNER, APP, "draw_sidebar (/repo/playground/ui/sidebar/panel.py:10)",
              "selectbox (/sp/streamlit/elements/widgets/selectbox.py:3)", "SerializeToString (/sp/google/protobuf/m.py:1)"])
    + " 20",
    # a layer editor slider
    ";".join([RUNNER, APP, PAGE, "edit_layer (/repo/playground/ui/layer_lab/editor.py:120)",
              "slider (/sp/streamlit/elements/widgets/slider.py:9)"]) + " 20",
    # JPEG tiles in the picture pool
    ";".join(["Thread._bootstrap (/py/threading.py:1002)", "_worker (/py/concurrent/futures/thread.py:83)",
              "_encode (/repo/playground/ui/layer_lab/pictures.py:90)", "encode_jpeg (/repo/playground/tiles.py:106)"])
    + " 10",
    # the event loop writing to the websocket, then the same loop waiting in select (left out)
    ";".join(["run (/py/asyncio/runners.py:1)", "write (/py/asyncio/selector_events.py:1057)"]) + " 5",
    ";".join(["run (/py/asyncio/runners.py:1)", "EpollSelector.select (/py/selectors.py:468)"]) + " 500",
    "not a stack line",
])


def test_each_stack_goes_to_the_area_that_asked_for_the_work():
    stacks = flame.parse(PROFILE)
    areas = {flame.area(frames): n for frames, n in stacks if not flame.WAITING.search(frames[-1])}
    assert areas == {"forward incl. model build and validate": 50, "sidebar": 20, "layer editor widgets": 20,
                     "pictures: tiles, JPEG, st.image": 10, "messaging (protobuf, websocket, uvicorn / starlette, asyncio)": 5}


def test_summary_leaves_waiting_threads_out_and_splits_the_script_thread():
    text = flame.summary(PROFILE)
    assert text.startswith("105 working samples (90 in script threads); 500 more samples")
    assert "| forward incl. model build and validate | 50 | 55.6 % |" in text  # 50 of the script thread's 90
    assert "| forward incl. model build and validate | 50 | 47.6 % |" in text  # 50 of all 105
    assert "| feature_maps (playground/model.py) | 50 | 47.6 % |" in text
