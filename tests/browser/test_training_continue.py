"""Browser: plain SGD at the default rate stops stuck at chance after 3 epochs; "Keep training" runs the rest."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from testkit.browser import start_training, wait_idle

SLOW_SGD = "/training?train.optimizer=sgd&train.lr=0.003&train.epochs=5"


def test_a_run_stuck_at_chance_can_keep_training(page, app_url):
    page.goto(app_url + SLOW_SGD)
    wait_idle(page)
    start_training(page)
    keep = page.get_by_role("button", name=re.compile(r"^Keep training \(2 more epochs"))
    expect(keep).to_be_visible(timeout=180_000)
    keep.click()
    expect(page.get_by_text(re.compile(r"^Finished: .* after 5 epochs"))).to_be_visible(timeout=180_000)
    wait_idle(page)
    expect(page.get_by_role("button", name="Start training", exact=True)).to_be_enabled()
    expect(page.get_by_role("tab", name="Confusion matrix")).to_be_visible()
