"""CNN Playground entry point: page config, navigation over pages/, the shared sidebar."""
import streamlit as st

import playground.ui.preload  # noqa: F401 - first: the imports every session needs, once, under one lock
from playground.ui import boot, housekeeping, messages, state, theme, widget_guard
from playground.ui.sidebar.panel import draw_sidebar, draw_summary

st.set_page_config(page_title="CNN Playground", page_icon=theme.page_icon(), layout="wide")
widget_guard.install()  # a forged widget value is dropped, not a crash of the session
housekeeping.start_collector()  # periodic gc instead of one after every run (config: runner.postScriptGC)
state.lang()  # settle the language before any label is drawn

PAGES = [
    st.Page("pages/image_lab.py", title=state.tr("app.page_image"), icon=":material/image:", default=True,
            url_path="image_lab"),
    st.Page("pages/conv_steps.py", title=state.tr("steps.page_title"), icon=":material/grid_goldenratio:",
            url_path="conv_steps"),
    st.Page("pages/layer_lab.py", title=state.tr("app.page_layers"), icon=":material/layers:", url_path="layer_lab"),
    st.Page("pages/training.py", title=state.tr("train.page_title"), icon=":material/model_training:",
            url_path="training"),
    st.Page("pages/lesson.py", title=state.tr("lesson.page.nav"), icon=":material/school:", url_path="lesson"),
    st.Page("pages/class_board.py", title=state.tr("board.page.nav"), icon=":material/leaderboard:",
            url_path="class_board"),
]
nav = st.navigation(PAGES)
state.get_spec()  # a share link in the URL (spec, lock, lesson, projector) is read on the session's first run
summary_slot = draw_sidebar()
if (reason := state.link_error()) is not None:
    st.warning(state.tr("app.bad_link", reason=messages.text(reason)))
with boot.routed():
    nav.run()
draw_summary(summary_slot)
state.sync_query()
housekeeping.start_warm_up()  # after the first page has drawn: torch, the model and the digits, in the background
