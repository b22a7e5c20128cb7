"""Benchmark: N students publishing to one class board at the same moment, on SQLite and on PostgreSQL.

Run from the repo root:
    python bench/board_publish.py [--threads 30] [--rounds 5] [--pg URL] [--engines 2]
--pg defaults to PLAYGROUND_TEST_PG; without either, a throwaway cluster (fsync on) is started here.
Each round: N threads wait at a barrier, then each publishes one run. The baseline is the same N
publishes one after another from one thread, measured in the same run, so the figures are ratios
against it as well as seconds. --engines 2 splits the threads over two engines (two app processes).
Prints per database: wall time of a round, p50 / p95 latency of one publish, errors.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack

from playground.board import BoardError, Store, open_store
from playground.board import db as board_db
from testkit.boarddata import sample_entry
from testkit.pgcluster import temp_cluster, temp_schema


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def burst(stores: list[Store], code: str, threads: int) -> tuple[float, list[float], list[str]]:
    """threads publishes released together; (wall seconds, latencies, errors)."""
    barrier, lat, errors = threading.Barrier(threads + 1), [], []

    def one(i: int) -> None:
        barrier.wait()
        t0 = time.perf_counter()
        try:
            stores[i % len(stores)].publish(code, f"student {i}", sample_entry(i))
            lat.append(time.perf_counter() - t0)
        except BoardError as err:
            errors.append(err.key)
    workers = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    t0 = time.perf_counter()
    for w in workers:
        w.join()
    return time.perf_counter() - t0, lat, errors


def sequential(store: Store, code: str, count: int) -> tuple[float, list[float]]:
    """count publishes one after another; (wall seconds, latencies)."""
    lat = []
    t0 = time.perf_counter()
    for i in range(count):
        t1 = time.perf_counter()
        store.publish(code, f"solo {i}", sample_entry(i))
        lat.append(time.perf_counter() - t1)
    return time.perf_counter() - t0, lat


def measure(name: str, url: str, threads: int, rounds: int, engines: int) -> None:
    """Print the figures of one database."""
    engs = [board_db.make_engine(url) for _ in range(engines)]
    stores = [open_store(e) for e in engs]
    try:
        walls, lat, errors, base_walls, base_lat = [], [], [], [], []
        for _ in range(rounds):  # alternate baseline and burst so machine load hits both alike
            wall, l1 = sequential(stores[0], stores[0].create_board()[0], threads)
            base_walls.append(wall)
            base_lat += l1
            code = stores[0].create_board()[0]
            wall, l2, errs = burst(stores, code, threads)
            walls.append(wall)
            lat += l2
            errors += errs
            assert len(stores[-1].entries(code)) == threads - len(errs)
        base, med = statistics.median(base_walls), statistics.median(walls)
        print(f"{name:10s} {threads} at once x{rounds}: round {med * 1000:7.1f} ms (median), "
              f"p50 {percentile(lat, .5) * 1000:6.1f} ms, p95 {percentile(lat, .95) * 1000:6.1f} ms, "
              f"errors {len(errors)}{' ' + str(sorted(set(errors))) if errors else ''}")
        print(f"{'':10s} baseline {threads} one after another: {base * 1000:7.1f} ms "
              f"(p50 {percentile(base_lat, .5) * 1000:.1f} ms); burst / baseline = {med / base:.2f}")
    finally:
        for e in engs:
            e.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--engines", type=int, default=1)
    parser.add_argument("--pg", default=os.environ.get("PLAYGROUND_TEST_PG", ""))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        measure("sqlite", f"sqlite+pysqlite:///{tmp}/board.sqlite3", args.threads, args.rounds, args.engines)
    if args.no_pg:
        return
    with ExitStack() as stack:
        url = args.pg or stack.enter_context(temp_cluster(fsync=True)).url
        schema_url = stack.enter_context(temp_schema(url)).render_as_string(hide_password=False)
        measure("postgresql", schema_url, args.threads, args.rounds, args.engines)


if __name__ == "__main__":
    main()
