"""A real Prefect server, a served deployment on a schedule, a run triggered by hand.

The server is the session's (``conftest.prefect_server``); every process the test
starts is stopped by its PID (its process group). That ``bitextflow server`` listens
on loopback is checked on its command line (the last test).
"""
import subprocess
import sys
import time

import pytest

from conftest import stop_process_group as stop

ZH = "今天天气很好。我们去公园散步。\n"
EN = "The weather is fine today. We go for a walk in the park.\n"


@pytest.fixture
def server_env(prefect_server, tmp_path):
    return {**prefect_server, "PREFECT_HOME": str(tmp_path / "prefect-home")}


@pytest.mark.slow
def test_served_deployment_runs_on_demand_and_writes_the_corpus(server_env, tmp_path):
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
