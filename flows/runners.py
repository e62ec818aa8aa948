"""Task runners and the Prefect API they report to.

Dask workers are separate processes. Without ``PREFECT_API_URL`` each of them
would start its own temporary Prefect server (18-35 s each, and errors when they
race for the same database). ``api_server()`` gives the whole run one API instead:
the server the user configured, or one temporary server started here; its URL is
put in this process's settings (serialised to the workers with every task) and in
the environment the LocalCluster's worker processes inherit.
"""
from __future__ import annotations

import contextlib
import os


def configured_api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


@contextlib.contextmanager
def api_server(timeout: int | None = None):
    """Yield the API URL for this run, starting a temporary server when none is configured."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = configured_api_url()
    server = None
    if url is None:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # binds 127.0.0.1 on a free port
        server.start(timeout=timeout)
        url = server.api_url
    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        if old is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = old
        if server is not None:
            _drain_to_api()  # or the last log lines and events fail against a stopped server
            server.stop()


def _drain_to_api() -> None:
    import inspect

    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def drain():
        try:
            result = APILogWorker.instance().drain()
            if inspect.isawaitable(result):
                await result
        except RuntimeError:  # never started
            pass
        result = EventsWorker.drain_all()
        if inspect.isawaitable(result):
            await result

    run_coro_as_sync(drain())


def dask_task_runner(address: str | None = None, workers: int | None = None):
    """prefect-dask's DaskTaskRunner: the scheduler at ``address``, or a LocalCluster
    of one single-threaded worker process per core, listening on loopback only."""
    import logging

    from prefect.settings import PREFECT_LOGGING_LEVEL
    from prefect_dask import DaskTaskRunner

    quiet = logging.getLevelName(PREFECT_LOGGING_LEVEL.value()) > logging.INFO
    if quiet:
        # scheduler/nanny chatter, and the nanny's "worker still alive after 4 s, killing" at shut-down
        # (Prefect's background threads in the workers), unless --verbose
        logging.getLogger("distributed").setLevel(logging.ERROR)
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": workers or os.cpu_count() or 1,
            "threads_per_worker": 1,  # the stages are CPU-bound Python: one process per core
            "processes": True,
            "host": "127.0.0.1",
            # the scheduler's HTTP endpoint on a free loopback port (a fixed :8787 clashes with other clusters)
            "dashboard_address": "127.0.0.1:0",
            "silence_logs": logging.ERROR if quiet else logging.INFO,
        },
    )
