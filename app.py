"""CNN Playground entry point: page config, navigation over pages/, the shared sidebar."""
import streamlit as st

import playground.ui.runtime.preload  # noqa: F401 - first: the imports every session needs, once, under one lock
from playground.labs import DEFAULT, LABS
from playground.ui import bind, messages, state, theme
from playground.ui.runtime import boot, housekeeping, internals, pacing
from playground.ui.sidebar.panel import draw_sidebar, draw_summary

st.set_page_config(page_title="CNN Playground", page_icon=theme.page_icon(), layout="wide")
internals.install()  # a forged widget value is dropped, not a crash of the session
housekeeping.start_collector()  # periodic gc instead of one after every run (config: runner.postScriptGC)
state.lang()  # settle the language before any label is drawn
bind.twins_settled()  # after this request's callbacks, before any control is drawn

PAGES = [st.Page(lab.page, title=state.tr(lab.title_key), icon=lab.icon, url_path=lab.url_path, default=lab is DEFAULT)
         for lab in LABS]  # the one list of labs: playground/labs.py
nav = st.navigation(PAGES)
state.get_spec()  # a share link in the URL (spec, lock, lesson, projector) is read on the session's first run
summary_slot = draw_sidebar()
if (reason := state.link_error()) is not None:
    st.warning(state.tr("app.bad_link", reason=messages.text(reason)))
with boot.routed(), pacing.paced():  # a tab that reruns back to back waits its turn
    nav.run()
draw_summary(summary_slot)
state.sync_query()
housekeeping.start_warm_up()  # after the first page has drawn: torch, the model and the digits, in the background
