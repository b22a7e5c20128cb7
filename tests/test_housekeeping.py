"""playground/ui/runtime/housekeeping.py: the background collector collects, reaps closed sessions and stops on request."""
import gc
import sys
import threading
import time
import weakref

from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.session_manager import SessionInfo

from playground.ui.runtime import housekeeping, internals
from testkit.wait import wait_until


def test_collector_collects_until_stopped(monkeypatch):
    calls = []
    # gc is the process's module: count only the collector's own calls (a warm-up thread may collect too)
    monkeypatch.setattr(housekeeping.gc, "collect", lambda: calls.append(time.monotonic())
                        if threading.current_thread().name == "test-collector" else None)
    stop = threading.Event()
    worker = threading.Thread(target=housekeeping.collect_forever, args=(0.01, stop), name="test-collector")
    worker.start()
    wait_until(lambda: len(calls) >= 3, 60, "three collections")
    stop.set()
    worker.join(60)
    assert not worker.is_alive(), "the collector did not end after stop"  # so no collection can follow


def test_start_collector_starts_one_thread_per_process():
    first = housekeeping.start_collector(3600.0)
    running = sum(t.name == "playground-gc" for t in threading.enumerate())
    second = housekeeping.start_collector(3600.0)
    assert first is second
    assert sum(t.name == "playground-gc" for t in threading.enumerate()) == running
    first.set()


class _Session:
    """Stands in for an AppSession in Streamlit's real session storage: records shutdown()."""

    def __init__(self, session_id: str):
        self.id, self.shut = session_id, False

    def shutdown(self) -> None:
        self.shut = True


def _stored(storage, session_id: str) -> _Session:
    session = _Session(session_id)
    storage.save(SessionInfo(client=None, session=session, script_run_count=1))
    return session


def test_expired_stored_sessions_are_shut_down_without_another_visitor():
    """Streamlit drops an expired stored session only on a later write, and never shuts it down."""
    storage = MemorySessionStorage(ttl_seconds=120)
    closed = _stored(storage, "closed-tab")
    later = time.monotonic() + 121
    assert internals.reap_expired(storage, at_time=later) == 1
    assert closed.shut and storage.list() == []


def test_a_session_within_its_reconnect_time_is_kept():
    storage = MemorySessionStorage(ttl_seconds=120)
    recent = _stored(storage, "reconnecting-tab")
    assert internals.reap_expired(storage) == 0
    assert not recent.shut and storage.get("reconnecting-tab").session is recent


def test_reaping_without_a_running_server_does_nothing():
    assert internals.reap_closed_sessions() == 0
    assert internals.reap_expired(object()) == 0  # a storage without a TTL cache: nothing to reap


def test_pandas_is_whole_before_the_warm_up_thread_starts(monkeypatch):
    """plotly reads sys.modules["pandas"] as it is: a half-imported pandas (the warm-up thread importing it)
    failed a page's histogram with "partially initialized module 'pandas'" (seen in AppTest and the browser)."""
    seen = []
    monkeypatch.setattr(housekeeping, "_warm_quietly", lambda: seen.append(sys.modules.get("pandas")))
    housekeeping.start_warm_up.clear()
    housekeeping.start_warm_up().join(5)
    housekeeping.start_warm_up.clear()
    assert seen and hasattr(seen[0], "Series")  # imported whole, in the caller's thread, before the thread ran


def test_the_warm_heap_is_frozen_and_later_garbage_still_collected():
    class Cycle:
        pass

    try:
        frozen = housekeeping.freeze_warm_heap()
        assert frozen > 1000 and gc.get_freeze_count() > 1000  # the count drops as frozen objects die
        made_later = Cycle()
        made_later.me = made_later
        witness = weakref.ref(made_later)
        del made_later
        gc.collect()
        assert witness() is None  # a session's cycle made after the freeze is still freed
    finally:
        gc.unfreeze()
