"""playground/ui/housekeeping.py: the background collector runs gc.collect periodically and stops on request."""
import gc
import threading
import time
import weakref

from playground.ui import housekeeping


def test_collector_collects_until_stopped(monkeypatch):
    calls = []
    monkeypatch.setattr(housekeeping.gc, "collect", lambda: calls.append(time.monotonic()))
    stop = threading.Event()
    worker = threading.Thread(target=housekeeping.collect_forever, args=(0.01, stop))
    worker.start()
    time.sleep(0.2)
    stop.set()
    worker.join(2)
    assert not worker.is_alive()
    assert len(calls) >= 3
    done = len(calls)
    time.sleep(0.05)
    assert len(calls) == done, "no collection after stop"


def test_start_collector_starts_one_thread_per_process():
    first = housekeeping.start_collector(3600.0)
    running = sum(t.name == "playground-gc" for t in threading.enumerate())
    second = housekeeping.start_collector(3600.0)
    assert first is second
    assert sum(t.name == "playground-gc" for t in threading.enumerate()) == running
    first.set()


def test_the_warm_heap_is_frozen_and_later_garbage_still_collected():
    class Cycle:
        pass

    try:
        frozen = housekeeping.freeze_warm_heap()
        assert frozen > 0 and gc.get_freeze_count() == frozen
        made_later = Cycle()
        made_later.me = made_later
        witness = weakref.ref(made_later)
        del made_later
        gc.collect()
        assert witness() is None  # a session's cycle made after the freeze is still freed
    finally:
        gc.unfreeze()
