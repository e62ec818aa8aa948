"""Which Prefect API a run reports to: configured, a running local server, or a temporary one.

The local servers here are tiny HTTP servers that answer /health and /version as
a Prefect API would (or not), so no Prefect server is started.
"""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.metadata import version

import pytest

from flows import runners

PREFECT_MAJOR = version("prefect").split(".")[0]


def fake_server(answers: dict):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = answers.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/api"


@pytest.fixture
def no_configured_api(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(runners, "configured_api_url", lambda: None)


def test_a_running_prefect_server_at_the_local_address_is_used(monkeypatch, no_configured_api):
    httpd, url = fake_server({"/api/health": True, "/api/admin/version": f"{PREFECT_MAJOR}.1.0"})
    try:
        monkeypatch.setattr(runners, "LOCAL_API", url)
        monkeypatch.setattr(runners, "start_temporary_server", lambda: pytest.fail("started a temporary server"))
        api = runners.find_api()
        assert (api.kind, api.url) == ("local", url)
        assert url in api.describe()
    finally:
        httpd.shutdown()


@pytest.mark.parametrize("answers", [
    {"/api/health": True},  # no version: not known to be a Prefect API
    {"/api/health": False, "/api/admin/version": f"{PREFECT_MAJOR}.1.0"},  # unhealthy
    {"/api/health": True, "/api/admin/version": "1.4.2"},  # another major release of Prefect
    {"/api/health": "ok", "/api/admin/version": {"version": "x"}},  # something else on the port
])
def test_anything_else_at_the_local_address_is_not_used(monkeypatch, no_configured_api, answers):
    httpd, url = fake_server(answers)
    try:
        assert not runners.is_prefect_api(url)
        monkeypatch.setattr(runners, "LOCAL_API", url)
        sentinel = runners.Api("http://127.0.0.1:1/api", "temporary")
        monkeypatch.setattr(runners, "start_temporary_server", lambda: sentinel)
        assert runners.find_api() is sentinel
    finally:
        httpd.shutdown()


def test_nothing_listening_is_not_an_api():
    port = runners._free_port()
    assert not runners.is_prefect_api(f"http://127.0.0.1:{port}/api", timeout=0.2)


def test_a_configured_api_wins_over_a_local_server(monkeypatch):
    httpd, url = fake_server({"/api/health": True, "/api/admin/version": f"{PREFECT_MAJOR}.1.0"})
    try:
        monkeypatch.setattr(runners, "LOCAL_API", url)
        monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
        api = runners.find_api()
        assert (api.kind, api.url) == ("configured", "http://127.0.0.1:9/api")
        assert "PREFECT_API_URL" in api.describe()
    finally:
        httpd.shutdown()


def test_a_real_prefect_server_answers_as_one(prefect_server):
    assert runners.is_prefect_api(prefect_server["PREFECT_API_URL"], timeout=5)


def test_a_temporary_server_is_drained_while_its_url_is_still_set(monkeypatch):
    """Prefect's log and events workers drained after the URL is unset would start a
    temporary server of Prefect's own (about 12 s at the end of every such run)."""
    import subprocess
    import sys

    from prefect.settings import PREFECT_API_URL

    seen = []
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(runners, "_drain_to_api", lambda: seen.append(PREFECT_API_URL.value()))
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    api = runners.Api("http://127.0.0.1:9/api", "temporary", process=proc, startup_seconds=1.0)
    with runners.api_server(api):
        pass
    api.stop()
    owned = runners.Api("http://127.0.0.1:9/api", "temporary", process=subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"]), startup_seconds=1.0)
    monkeypatch.setattr(runners, "find_api", lambda: owned)
    with runners.api_server():
        pass
    assert seen == ["http://127.0.0.1:9/api"]  # the owned server only, drained with its URL
    assert owned.process.poll() is not None  # and then stopped
