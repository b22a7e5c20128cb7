"""A run lost by a server restart: the reconnected tab says so instead of "No training yet"."""
from __future__ import annotations

from playground.i18n import t
from playground.ui.state import RUN_QUERY, SERVER_ID, TRAIN_MARK, button_key
from testkit.apptest import open_app

PAGE = "pages/training.py"


def shown(at) -> list[str]:
    return [e.value for e in (*at.warning, *at.info)]


def test_a_tab_whose_address_names_an_earlier_server_hears_of_the_restart():
    at = open_app(PAGE, query={RUN_QUERY: "0123abcd"})  # written by a server process that is gone
    assert not at.exception
    assert t("polish.train.lost_run", "en") in shown(at)
    assert t("train.no_run", "en") not in shown(at)
    assert RUN_QUERY not in at.query_params  # the new session has no run: the address stops naming one


def test_in_chinese_too():
    at = open_app(PAGE, lang="zh", query={RUN_QUERY: "0123abcd"})
    assert t("polish.train.lost_run", "zh") in shown(at)


def test_an_address_of_this_server_or_none_says_no_training_yet():
    for query in ({RUN_QUERY: SERVER_ID}, {}):
        at = open_app(PAGE, query=query)
        assert t("train.no_run", "en") in shown(at) and t("polish.train.lost_run", "en") not in shown(at)


def test_starting_a_run_puts_this_server_in_the_address():
    at = open_app(PAGE, query={"train.epochs": "1", "train.size": "8"})
    assert RUN_QUERY not in at.query_params
    at.button(key=button_key("train.start")).click().run()
    assert not at.exception
    assert at.session_state[TRAIN_MARK] and at.query_params[RUN_QUERY] == SERVER_ID
