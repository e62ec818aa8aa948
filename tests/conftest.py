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


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One Prefect server for the whole session (Prefect's API app, launched as a run
    launches its temporary server: ``flows.runners.start_temporary_server``), with a
    home and database of its own. Yields an environment for processes that report to
    it (PREFECT_API_URL, a temporary PREFECT_HOME, quiet logs). Every test that runs a
    flow shares it: a Prefect server takes 5-15 s to start on a quiet 2-core machine,
    and no test is about its start."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING"}
    for name in ("PREFECT_API_KEY", "PREFECT_API_URL"):
        env.pop(name, None)
    from flows.runners import start_temporary_server

    api = start_temporary_server(env)
    try:
        try:
            api.ready(timeout=SERVER_WAIT)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield {**env, "PREFECT_API_URL": api.url}
    finally:
        api.stop()


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
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: prefect_server["PREFECT_API_URL"]}):
        yield


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
