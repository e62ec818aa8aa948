import os
import signal
import subprocess
import time

import pytest

SERVER_WAIT = 300  # a fresh database: ~5 s on a quiet 2-core machine, up to 160 s seen under a load of 12


def stop_process_group(proc: subprocess.Popen, grace: float = 20) -> None:
    """SIGTERM to the process group led by proc.pid, then SIGKILL after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


SERVER_FIXTURES = {"prefect_server", "prefect_harness"}
# The session's server records no task runs: no test reads them back, and Prefect's
# task-run recorder (which writes them from the runs' events) took ~0.6 s of the
# server's CPU per small flow run, while the run waited for the server's answers
# (a 3-document run: 2.1 s -> 1.0 s wall, server 1.05 s -> 0.43 s CPU, load ~3).
# Nor does any test read events back or set automations: without the event persister (which
# writes each run's events into the database), the triggers and the events' stream out, the
# server took 9.1-9.3 s of CPU instead of 10.3-11.8 s over tests/test_incremental.py and
# tests/test_flow.py (9 small runs and its start; two sessions each, load 2.6-4), with
# the runs in this process sending it no logs either (no test reads them there; they
# still go to the console).
TEST_SERVER_SETTINGS = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
                        "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
                        "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
                        "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false"}
_SERVER = pytest.StashKey()  # (environment, flows.runners.Api) of the session's server, once launched


@pytest.hookimpl(trylast=True)  # after -m/-k have deselected
def pytest_collection_modifyitems(session, config, items):
    """The tests that use the session's Prefect server run last, and the server is launched
    now, not waited for: it starts (5-15 s of CPU on a quiet machine) while the other tests
    run. Their order among themselves is kept."""
    needs = [item for item in items if SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))]
    if not needs:
        return
    needing = set(map(id, needs))
    items[:] = [item for item in items if id(item) not in needing] + needs
    config.stash[_SERVER] = _launch_server(config)


def _launch_server(config):
    """Prefect's API app, launched as a run launches its temporary server
    (``flows.runners.start_temporary_server``), with a home and database of its own."""
    import tempfile

    home = tempfile.mkdtemp(prefix="prefect-server-home-")
    env = {**os.environ, "PREFECT_HOME": home, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING", **TEST_SERVER_SETTINGS}
    for name in ("PREFECT_API_KEY", "PREFECT_API_URL"):
        env.pop(name, None)
    template = _database_template(config)
    if template is not None and template.exists():
        import shutil

        shutil.copyfile(template, os.path.join(home, "prefect.db"))
    from flows.runners import start_temporary_server

    return env, start_temporary_server(env), template


def _database_template(config):
    """Where a migrated Prefect database is kept between test sessions (pytest's cache,
    named by the Prefect release): a new database runs Prefect's ~100 migrations, about
    half of a server's start-up CPU. None without a cache (``-p no:cacheprovider``)."""
    from importlib.metadata import version
    from pathlib import Path

    cache = getattr(config, "cache", None)
    if cache is None:
        return None
    return Path(cache.mkdir("prefect-database")) / f"prefect-{version('prefect')}.db"


def _keep_template(home: str, template) -> None:
    """A consistent copy of the server's database (SQLite's backup API: the server may be
    writing), renamed into place so that a concurrent session never reads half of one."""
    import sqlite3

    tmp = template.with_name(f".{template.name}.{os.getpid()}")
    source, target = sqlite3.connect(os.path.join(home, "prefect.db")), sqlite3.connect(tmp)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    os.replace(tmp, template)


@pytest.fixture(scope="session")
def prefect_server(request):
    """One Prefect server for the whole session (launched by ``pytest_collection_modifyitems``
    when a collected test needs it). Yields an environment for processes that report to
    it (PREFECT_API_URL, a temporary PREFECT_HOME, quiet logs). Every test that runs a
    flow shares it: no test is about its start."""
    import shutil

    launched = request.config.stash.get(_SERVER, None) or _launch_server(request.config)
    request.config.stash[_SERVER] = launched
    env, api, template = launched
    try:
        try:
            api.ready(timeout=SERVER_WAIT)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        if template is not None and not template.exists():
            _keep_template(env["PREFECT_HOME"], template)
        yield {**env, "PREFECT_API_URL": api.url}
    finally:
        _drain_prefect(api.url)
        api.stop()
        shutil.rmtree(env["PREFECT_HOME"], ignore_errors=True)


def pytest_unconfigure(config):
    launched = config.stash.get(_SERVER, None)
    if launched is not None:  # launched, but no test asked for it (deselected, or -x stopped early)
        launched[1].stop()
        import shutil

        shutil.rmtree(launched[0]["PREFECT_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness(prefect_server, tmp_path_factory):
    """The session's Prefect server and a temporary home for the tests that run flows in
    this process.

    Results and cache records go to the run's own output folder (the flow sets
    that), and PREFECT_HOME to a temporary folder, so nothing leaks between test
    sessions or into the user's ~/.prefect.
    """
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect-home"))
    from flows.settings import apply_prefect_defaults

    apply_prefect_defaults()
    from prefect.settings import (PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, PREFECT_LOGGING_TO_API_ENABLED,
                                  temporary_settings)

    # no flow-run heartbeats: the server outlives every run here, and a flow waits at its
    # end for the heartbeat thread's current 1-s sleep (~0.3 s a run, measured)
    with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"],
                                     PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
                                     PREFECT_LOGGING_TO_API_ENABLED: False}):
        yield


def _drain_prefect(url: str) -> None:
    """Send this process's pending Prefect logs and events to the session's server while
    it still answers, with its URL set (without one, Prefect would start a temporary
    server of its own to send them to; left for exit, they are retried against the
    stopped server for a minute or more)."""
    import sys

    if "prefect" not in sys.modules:
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.runners import _drain_to_api

    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            _drain_to_api()
    except Exception:  # noqa: BLE001 - best effort at teardown
        pass


@pytest.fixture
def pair_folder(tmp_path):
    """A function writing ``{name: (zh, en)}`` as NAME.zh.txt / NAME.en.txt into tmp_path/in."""

    def write(pairs: dict) -> "os.PathLike":
        folder = tmp_path / "in"
        folder.mkdir(exist_ok=True)
        for name, (zh, en) in pairs.items():
            (folder / f"{name}.zh.txt").write_text(zh + "\n", encoding="utf-8")
            (folder / f"{name}.en.txt").write_text(en + "\n", encoding="utf-8")
        return folder

    return write
