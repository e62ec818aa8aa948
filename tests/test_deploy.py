"""A real Prefect server, a served deployment on a schedule, a run triggered by hand.

The fixture starts ``prefect server start`` on a free loopback port and waits (at
most SERVER_WAIT seconds) for /api/health; every process the test starts is
stopped by its PID (its process group: uvicorn may run below the CLI).
"""
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

SERVER_WAIT = 180  # a fresh database on a busy 2-core machine: ~15 s measured, up to a minute seen
ZH = "今天天气很好。我们去公园散步。\n"
EN = "The weather is fine today. We go for a walk in the park.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group led by proc.pid, then SIGKILL after a grace period."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def server_env(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": url, "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_KEY", None)
    from flows.deploy import server_command

    log = open(home / "server.log", "wb")
    proc = subprocess.Popen(server_command(port), env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_WAIT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"prefect server exited with {proc.returncode}: "
                            f"{(home / 'server.log').read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"prefect server not healthy after {SERVER_WAIT} s")
            time.sleep(0.5)
        yield env
    finally:
        stop(proc)
        log.close()


def listening_hosts(port: int) -> set[str]:
    out = subprocess.run(["ss", "-Htln", f"sport = :{port}"], capture_output=True, text=True).stdout
    return {line.split()[3].rsplit(":", 1)[0] for line in out.splitlines() if line.strip()}


@pytest.mark.slow
def test_served_deployment_runs_on_demand_and_writes_the_corpus(server_env, tmp_path):
    port = int(server_env["PREFECT_API_URL"].rsplit(":", 1)[1].split("/")[0])
    try:
        hosts = listening_hosts(port)
    except FileNotFoundError:  # no `ss` on this machine
        hosts = None
    if hosts is not None:
        assert hosts == {"127.0.0.1"}

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "park.zh.txt").write_text(ZH, encoding="utf-8")
    (inputs / "park.en.txt").write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    serve = subprocess.Popen(
        [sys.executable, "-c", "import sys; from flows.cli import main; sys.exit(main(sys.argv[1:]))",
         "serve", str(inputs), "--out", str(out), "--cron", "0 3 * * *"],
        env=server_env, cwd=tmp_path, stdout=open(tmp_path / "serve.log", "wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        from prefect.client.orchestration import get_client
        from prefect.deployments import run_deployment
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: server_env["PREFECT_API_URL"]}):
            with get_client(sync_client=True) as client:
                deadline = time.monotonic() + 120
                while True:
                    assert serve.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
                    try:
                        dep = client.read_deployment_by_name("bitextflow-run/bitextflow-scheduled")
                        break
                    except Exception:
                        if time.monotonic() > deadline:
                            pytest.fail("deployment never appeared: "
                                        + (tmp_path / "serve.log").read_text(errors="replace")[-2000:])
                        time.sleep(1)
                assert [s.schedule.cron for s in dep.schedules] == ["0 3 * * *"]
                assert dep.parameters["out"] == str(out)
                flow_run = run_deployment("bitextflow-run/bitextflow-scheduled", timeout=300, poll_interval=2)
                assert flow_run.state.is_completed(), (flow_run.state, (tmp_path / "serve.log").read_text())
        corpus = (out / "corpus.tsv").read_text(encoding="utf-8")
        assert "今天天气很好。" in corpus and "The weather is fine today." in corpus
        assert (out / "latest" / "corpus.tsv").is_file()
    finally:
        stop(serve)


def test_serve_without_a_server_says_what_to_do(monkeypatch, tmp_path):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from flows.deploy import NoServerError, serve

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(updates={PREFECT_API_URL: None}):
        with pytest.raises(NoServerError, match="bitextflow server"):
            serve([str(tmp_path)], str(tmp_path / "out"), "0 3 * * *")


def test_server_binds_loopback_by_default():
    from flows.deploy import server_command

    cmd = server_command(4321)
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1" and cmd[cmd.index("--port") + 1] == "4321"
