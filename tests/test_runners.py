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
    monkeypatch.setattr(runners, "profile_api_url", lambda: None)


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
    monkeypatch.setattr(runners, "configured_api_url", lambda: None)
    with runners.api_server():
        pass
    assert seen == ["http://127.0.0.1:9/api"]  # the owned server only, drained with its URL
    assert owned.process.poll() is not None  # and then stopped


def test_nested_api_servers_keep_one_settings_context(monkeypatch):
    from prefect.settings import PREFECT_API_URL, get_current_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    api = runners.Api("http://127.0.0.1:8/api", "configured")
    with runners.api_server(api):
        outer = get_current_settings()
        with runners.api_server(api):  # as the CLI and the flow do
            assert get_current_settings() is outer
            assert PREFECT_API_URL.value() == api.url
    assert PREFECT_API_URL.value() != api.url


def test_a_run_s_start_up_objects_are_frozen_and_the_collector_s_thresholds_restored():
    import gc

    from flows import supervise

    before = gc.get_threshold()
    try:
        supervise.gc_for_start_up()
        assert gc.get_threshold() == supervise.START_UP_GC_THRESHOLD
        supervise.gc_started()
        assert gc.get_threshold() == supervise.PYTHON_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def write_profiles(home, text: str):
    home.mkdir(parents=True, exist_ok=True)
    (home / "profiles.toml").write_text(text, encoding="utf-8")


PROFILES = """
active = "work"
[profiles.ephemeral]
PREFECT_SERVER_ALLOW_EPHEMERAL_MODE = "true"
[profiles.work]
PREFECT_API_URL = "http://127.0.0.1:7/api"
[profiles.other]
PREFECT_API_URL = "http://127.0.0.1:8/api"
"""


def test_the_active_profile_s_api_url_is_read_without_prefect(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert runners.profile_api_url() is None  # no profiles file
    write_profiles(tmp_path / "home", PROFILES)
    assert runners.profile_api_url() == "http://127.0.0.1:7/api"
    monkeypatch.setenv("PREFECT_PROFILE", "other")
    assert runners.profile_api_url() == "http://127.0.0.1:8/api"
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert runners.profile_api_url() is None
    write_profiles(tmp_path / "elsewhere", 'active = "x"\n[profiles.x]\nPREFECT_API_URL = "http://h:9/api"\n')
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "elsewhere" / "profiles.toml"))
    monkeypatch.delenv("PREFECT_PROFILE")
    assert runners.profile_api_url() == "http://h:9/api"
    write_profiles(tmp_path / "elsewhere", "not = [toml")
    assert runners.profile_api_url() is None


def test_a_profile_s_api_url_is_used_without_probing_or_starting_a_server(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    write_profiles(tmp_path / "home", PROFILES)
    monkeypatch.setattr(runners, "is_prefect_api", lambda *a, **k: pytest.fail("probed the local address"))
    monkeypatch.setattr(runners, "start_temporary_server", lambda: pytest.fail("started a temporary server"))
    api = runners.find_api()
    assert (api.kind, api.url) == ("configured", "http://127.0.0.1:7/api")


def sleeper():
    import subprocess
    import sys

    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])


def test_a_url_only_prefect_s_settings_know_stops_the_temporary_server_launched_early(monkeypatch):
    """find_api launches a temporary server before Prefect is imported; a URL that only
    Prefect's settings give (prefect.toml, .env, ...) then wins and the server is stopped."""
    from prefect.settings import PREFECT_API_URL

    launched = runners.Api("http://127.0.0.1:9/api", "temporary", process=sleeper())
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(runners, "find_api", lambda: launched)
    monkeypatch.setattr(runners, "configured_api_url", lambda: "http://127.0.0.1:6/api")
    with runners.api_server() as api:
        assert (api.kind, api.url) == ("configured", "http://127.0.0.1:6/api")
        assert PREFECT_API_URL.value() == "http://127.0.0.1:6/api"
        assert launched.process.poll() is not None


def test_a_new_prefect_home_is_locked_until_its_first_server_answers(tmp_path):
    import fcntl
    import os

    home = tmp_path / "home"
    env = {"PREFECT_HOME": str(home)}

    def locked() -> bool:
        fd = os.open(home / runners.START_LOCK, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(fd)

    fd = runners._lock_new_home(env)  # no database yet: held
    assert fd is not None and locked()
    api = runners.Api("http://127.0.0.1:9/api", "temporary", process=sleeper(), start_lock=fd)
    api.stop()  # (or ready(): the lock goes when the server answers or fails)
    assert not locked()
    (home / "prefect.db").write_bytes(b"")
    assert runners._lock_new_home(env) is None  # a database there: nothing to wait for
    assert not locked()


def test_runs_share_the_user_s_prefect_home_unless_it_cannot_be_written(tmp_path, monkeypatch):
    from flows.settings import run_home

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    assert run_home(str(tmp_path / "out")) is None  # Prefect's home, made if missing
    assert (tmp_path / "home").is_dir()
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "file" / "home"))
    assert run_home(str(tmp_path / "out")) == str(tmp_path / "out" / ".prefect")
    monkeypatch.delenv("PREFECT_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert run_home(str(tmp_path / "out")) is None
    assert (tmp_path / "user" / ".prefect").is_dir()


@pytest.mark.slow
def test_a_run_reports_to_the_api_of_the_user_s_prefect_profile(tmp_path, prefect_server, pair_folder):
    """Not to a temporary server: the profile in ~/.prefect is the user's (the run used to
    read a profile under the output folder, where there is none)."""
    import os
    import subprocess
    import sys

    url = prefect_server["PREFECT_API_URL"]
    user = tmp_path / "user"
    write_profiles(user / ".prefect", f'active = "mine"\n[profiles.mine]\nPREFECT_API_URL = "{url}"\n')
    env = {k: v for k, v in prefect_server.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME", "PREFECT_PROFILE")}
    env["HOME"] = str(user)
    folder = pair_folder({"park": ("今天天气很好。", "The weather is fine today.")})
    out = tmp_path / "out"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = subprocess.run([sys.executable, "-m", "flows", "run", str(folder), "--out", str(out)], cwd=root,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == f"bitextflow: reported to Prefect API {url} (PREFECT_API_URL)"
    assert not (out / ".prefect").exists()


def test_a_temporary_server_is_starting_until_seen_answering():
    proc = sleeper()
    try:
        api = runners.Api("http://127.0.0.1:9/api", "temporary", process=proc)
        assert api.starting()
        api.startup_seconds = 1.0
        assert not api.starting()
    finally:
        proc.kill()
        proc.wait()
    assert not runners.Api("http://127.0.0.1:9/api", "configured").starting()


def test_what_a_run_imports_while_its_server_starts_exists():
    """import_while_waiting ignores a missing module: a renamed one would silently do nothing."""
    import importlib.util

    from flows.pipeline import IMPORTED_BY_A_RUN

    assert all(importlib.util.find_spec(name) is not None for name in IMPORTED_BY_A_RUN)


@pytest.mark.slow
def test_waiting_for_a_temporary_server_builds_the_missing_lookup_tables(tmp_path):
    """A new user's lookup tables are built while the server starts, not after it."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    subprocess.run([sys.executable, "-c", "from flows.pipeline import import_while_waiting; import_while_waiting()"],
                   env=env, check=True, timeout=300)
    built = sorted(p.name.split("-", 1)[0] for p in (tmp_path / "bitextflow").iterdir() if p.suffix == ".tables")
    assert built == ["cedict", "wordseg"]


class _Launched:
    """What subprocess.Popen was given, instead of starting a server."""

    def __init__(self, cmd, env):
        self.cmd, self.env = cmd, env

    def poll(self):
        return 0


@pytest.fixture
def launches(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no settings file of Prefect's here
    monkeypatch.setattr(runners.subprocess, "Popen", _Launched)
    return lambda env: runners.start_temporary_server(env)


def test_a_new_home_s_database_is_made_at_once_and_not_migrated_again(tmp_path, launches):
    from flows import prefect_db

    home = tmp_path / "home"
    api = launches({"PREFECT_HOME": str(home)})
    assert api.start_lock is None  # nothing left for another run to wait for
    assert prefect_db.revision(str(home / "prefect.db")) == prefect_db.head_revision()
    assert api.process.env["PREFECT_SERVER_DATABASE_MIGRATE_ON_START"] == "false"
    # the user's choice wins
    api = launches({"PREFECT_HOME": str(home), "PREFECT_API_DATABASE_MIGRATE_ON_START": "true"})
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in api.process.env


def test_a_database_behind_prefect_s_head_is_migrated_by_the_server(tmp_path, launches):
    import sqlite3

    home = tmp_path / "home"
    home.mkdir()
    con = sqlite3.connect(home / "prefect.db")
    con.executescript("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
                      "INSERT INTO alembic_version VALUES ('9725c1cbee35');")  # Prefect's first migration
    con.close()
    api = launches({"PREFECT_HOME": str(home)})
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in api.process.env


def test_a_database_chosen_by_settings_is_left_to_prefect(tmp_path, launches):
    home = tmp_path / "home"
    api = launches({"PREFECT_HOME": str(home), "PREFECT_SERVER_DATABASE_CONNECTION_URL": "sqlite+aiosqlite:///x.db"})
    assert not (home / "prefect.db").exists()
    assert api.start_lock is not None  # the new home stays locked until the server answers, as before
    assert "PREFECT_SERVER_DATABASE_MIGRATE_ON_START" not in api.process.env
    api.stop()


def test_the_home_s_database_is_used_unless_a_setting_may_choose_another(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "home"
    env = {"PREFECT_HOME": str(home)}
    assert runners.home_database(env) == str(home / "prefect.db")
    assert runners.home_database({**env, "PREFECT_API_DATABASE_HOST": "db"}) is None
    home.mkdir()
    (home / "profiles.toml").write_text('active = "p"\n[profiles.p]\n'
                                        'PREFECT_SERVER_DATABASE_CONNECTION_URL = "postgresql+asyncpg://db/x"\n')
    assert runners.home_database(env) is None
    (home / "profiles.toml").write_text('active = "p"\n[profiles.p]\nPREFECT_API_URL = "http://h:9/api"\n')
    assert runners.home_database(env) == str(home / "prefect.db")
    (tmp_path / ".env").write_text("OTHER_TOOL=1\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert runners.home_database(env) == str(home / "prefect.db")
    (tmp_path / "pyproject.toml").write_text('[tool.prefect]\nhome = "elsewhere"\n')
    assert runners.home_database(env) is None
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / ".env").write_text("PREFECT_HOME=elsewhere\n")
    assert runners.home_database(env) is None
    (tmp_path / ".env").unlink()
    (tmp_path / "prefect.toml").write_text("[logging]\nlevel = 'INFO'\n")
    assert runners.home_database(env) is None


@pytest.mark.slow  # a run with its temporary server, then a second server: ~10-30 s
def test_a_run_s_records_on_a_new_home_are_read_by_a_server_that_migrates_it(tmp_path, pair_folder):
    """The database made from the dump, not migrated by the run's server, is one that
    Prefect's server, migrating on start as ``bitextflow server`` does, reads the run from."""
    import os
    import subprocess
    import sys
    import urllib.request

    if runners.is_prefect_api(runners.LOCAL_API):
        pytest.skip("a Prefect server runs at the local address: the run would report to it")
    folder = pair_folder({"park": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park.")})
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    res = subprocess.run([sys.executable, "-m", "flows", "run", str(folder), "--out", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "temporary Prefect server" in res.stdout.splitlines()[-1]
    server = runners.start_temporary_server({**env, "PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "true"})
    try:
        server.ready(timeout=600)

        def post(path):
            req = urllib.request.Request(server.url + path, data=b"{}", headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read())

        flow_runs, task_runs = post("/flow_runs/filter"), post("/task_runs/filter")
    finally:
        server.stop()
    assert [r["state_type"] for r in flow_runs] == ["COMPLETED"]
    assert task_runs and {r["state_type"] for r in task_runs} == {"COMPLETED"}
    assert {r["flow_run_id"] for r in task_runs} == {flow_runs[0]["id"]}


def test_finding_no_api_to_use_imports_no_http_client_nor_toml_parser(tmp_path):
    """What a run does before it launches its server, on a home with no profiles and nothing
    listening at the local address (urllib.request and tomllib: ~0.1 s of that launch)."""
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom flows import runners\nruns = runners.profile_api_url(), "
            "runners.is_prefect_api('http://127.0.0.1:9/api')\n"
            "print(runs, sorted({'urllib.request', 'tomllib', 'http.client'} & set(sys.modules)))\n")
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "home")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert res.stdout.strip() == "(None, False) []"


def test_bitextflow_server_finds_a_new_home_s_database_made(tmp_path, monkeypatch):
    """`bitextflow server` on a new home: the database is made before `prefect server start`."""
    from flows import cli, deploy, prefect_db

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    started = []
    monkeypatch.setattr(deploy, "server", lambda port, host: started.append((port, host)) or 0)
    assert cli.main(["server"]) == 0
    assert started == [(4200, "127.0.0.1")]
    assert prefect_db.revision(str(tmp_path / "home" / "prefect.db")) == prefect_db.head_revision()
