"""Prefect's fixed start-up and per-task overhead, thread runner and Dask.

Prints:
- the temporary server's start-up time (what every ``bitextflow run`` without
  PREFECT_API_URL pays first) and the cost of an empty flow run against it;
- the cost per task: a flow of N trivial tasks that persist a small result (as the
  flow's segment/align tasks do) minus an empty flow, divided by N; for the thread
  runner, and for a Dask cluster of 2 worker processes reused across flows.

    .venv/bin/python bench/pipeline_overhead.py [--tasks 200] [--repeat 2]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()

    import logging

    import distributed  # noqa: F401  (configures its loggers on import; quiet them after)

    logging.getLogger("distributed").setLevel(logging.WARNING)
    home = tempfile.mkdtemp(prefix="bench-prefect-")
    os.environ["PREFECT_HOME"] = home
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    t0 = time.perf_counter()
    import prefect  # noqa: F401
    from prefect import flow, task

    t_import = time.perf_counter() - t0
    from flows.runners import api_server

    store = tempfile.mkdtemp(prefix="bench-results-")
    counter = iter(range(10**9))

    @task(persist_result=True, cache_key_fn=lambda ctx, p: f"k{p['i']}-{next(counter)}")
    def tiny(i: int, payload: list) -> list:
        return payload

    def make_flow(runner=None):
        @flow(name="overhead", validate_parameters=False, task_runner=runner) if runner else flow(
            name="overhead", validate_parameters=False)
        def f(n: int):
            t = tiny.with_options(result_storage=Path(store))
            futs = [t.submit(i, list(range(50))) for i in range(n)]
            return [x.result() for x in futs]
        return f

    def timed(fl, n):
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            fl(n)
            best = min(best, time.perf_counter() - t)
        return best

    t0 = time.perf_counter()
    with api_server() as api:
        api.ready()
        t_server = time.perf_counter() - t0
        print(f"prefect import: {t_import:.2f} s; temporary server start-up: {t_server:.2f} s")
        thread_flow = make_flow()
        thread_flow(0)  # warm-up: first flow run in the process
        empty = timed(thread_flow, 0)
        full = timed(thread_flow, args.tasks)
        per = (full - empty) / args.tasks
        print(f"thread runner: empty flow {empty:.2f} s; {args.tasks} tasks {full:.2f} s; "
              f"per task {per * 1000:.1f} ms")

        from distributed import LocalCluster
        from prefect_dask import DaskTaskRunner

        t0 = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
        t_cluster = time.perf_counter() - t0
        try:
            dask_flow = make_flow(DaskTaskRunner(address=cluster.scheduler_address))
            dask_flow(0)
            dask_flow(4)  # warm the workers (imports)
            d_empty = timed(dask_flow, 0)
            d_full = timed(dask_flow, args.tasks)
            d_per = (d_full - d_empty) / args.tasks
            print(f"dask ({args.workers} workers, reused cluster; cluster start {t_cluster:.2f} s): "
                  f"empty flow {d_empty:.2f} s; {args.tasks} tasks {d_full:.2f} s; per task {d_per * 1000:.1f} ms "
                  f"(wall; the workers run tasks in parallel)")
        finally:
            cluster.close()
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)


if __name__ == "__main__":
    main()
