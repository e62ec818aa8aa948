"""Task runners and the Prefect API they report to.

Every run reports to one API, chosen in this order (``api_server()``):

1. the one configured (``PREFECT_API_URL``, in the environment or Prefect's settings:
   its profile, ``prefect.toml``, ...);
2. a server already running at ``bitextflow server``'s default address
   (``LOCAL_API``), if it answers as a Prefect API: /health says true and
   /admin/version gives a Prefect release of the same major version as this client;
3. a temporary server started for this run and stopped after it (on a 2-core
   machine it takes seconds to start: ``bench/pipeline_speed.py`` prints the cost).

The temporary server is Prefect's own ASGI app run by uvicorn, launched the way
Prefect launches its ephemeral server, but without importing Prefect's server
package into this process (that import alone costs about twice ``import prefect``).
It is launched as soon as ``api_server()`` is entered, before Prefect is imported
here (the configured URL is first looked for in the environment and the active
profile's file, ``profile_api_url``; Prefect's own settings, read once imported,
have the last word and stop a server launched for nothing), and waited for only when
the flow needs it (``Api.ready()``), so its start-up overlaps this process's imports
(about 2 s of CPU for Prefect's alone).

A new Prefect home has no database: a run makes one there at once from the dump of
one that Prefect's migrations made (``flows.prefect_db``; the migrations themselves
take ~9 s of the server's CPU), holding a lock in the home meanwhile so that a second
run waits and then finds it made. When the dump was made for another Prefect release,
the server migrates as usual and the lock is held until it answers. A database at the
installed Prefect's head revision is not checked again by the server's alembic
(``PREFECT_SERVER_DATABASE_MIGRATE_ON_START=false``: ~0.3 s of CPU less), if it is
surely the one the server uses (``home_database``).

The chosen URL is put in this process's settings (serialised to Dask workers with
every task) and in the environment that a LocalCluster's worker processes inherit,
so that no worker starts a server of its own (18-35 s each, and errors when they
race for the same database).
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field

from . import prefect_db
from .supervise import START_UP_GC_THRESHOLD

LOCAL_API = "http://127.0.0.1:4200/api"  # where `bitextflow server` listens by default
START_LOCK = ".bitextflow-server-start.lock"  # in the Prefect home (see the module docstring)


def configured_api_url() -> str | None:
    """Prefect's own answer (environment, profile, prefect.toml, .env, ...); imports Prefect."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def prefect_home(env=None) -> str:
    env = os.environ if env is None else env
    return os.path.expanduser(env.get("PREFECT_HOME") or os.path.join("~", ".prefect"))


def profile_settings(env=None) -> dict:
    """The settings of Prefect's active profile, read from its profiles file without
    importing Prefect (Prefect's defaults: ``$PREFECT_HOME/profiles.toml``, the profile
    named by PREFECT_PROFILE or the file's ``active``); {} when there are none."""
    env = os.environ if env is None else env
    home = prefect_home(env)
    path = env.get("PREFECT_PROFILES_PATH") or os.path.join(home, "profiles.toml")
    try:
        fh = open(os.path.expanduser(path.replace("$PREFECT_HOME", home)), "rb")
    except OSError:
        return {}
    import tomllib  # here: its import is ~50 ms of a run's launch of its server, and most homes have no profiles

    with fh:
        try:
            data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            return {}
    profiles = data.get("profiles")
    profile = profiles.get(env.get("PREFECT_PROFILE") or data.get("active") or "ephemeral") \
        if isinstance(profiles, dict) else None
    return profile if isinstance(profile, dict) else {}


def profile_api_url(env=None) -> str | None:
    """PREFECT_API_URL of Prefect's active profile (``profile_settings``)."""
    url = profile_settings(env).get("PREFECT_API_URL")
    return url if isinstance(url, str) and url else None


def _get_json(url: str, timeout: float):
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (a loopback http URL)
        if resp.status != 200:
            return None
        return json.loads(resp.read(4096))


def _listening(url: str, timeout: float) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout):
            return True
    except (OSError, ValueError):
        return False


def is_prefect_api(url: str, timeout: float = 0.5) -> bool:
    """True when ``url`` answers as a Prefect API compatible with this client."""
    if not _listening(url, timeout):  # nothing there (the usual case): no HTTP client imported (~60 ms)
        return False
    from importlib.metadata import version

    try:
        healthy = _get_json(url.rstrip("/") + "/health", timeout)
        server = _get_json(url.rstrip("/") + "/admin/version", timeout)  # the Prefect release
    except (OSError, ValueError):
        return False
    return healthy is True and isinstance(server, str) and server.split(".")[0] == version("prefect").split(".")[0]


@dataclass
class Api:
    """The Prefect API of a run: ``kind`` is "configured", "local" or "temporary"."""

    url: str
    kind: str
    process: subprocess.Popen | None = None
    started: float = field(default_factory=time.perf_counter)
    startup_seconds: float = 0.0
    start_lock: int | None = None  # a locked file descriptor, held until the server answers

    def ready(self, timeout: float | None = None) -> "Api":
        """Wait until a temporary server answers (at once for the other kinds)."""
        if self.process is None or self.startup_seconds:
            return self
        limit = timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120"))
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the temporary Prefect server exited with status {self.process.returncode}")
                try:
                    if _get_json(self.url + "/health", 1.0) is True:
                        break
                except (OSError, ValueError):
                    pass
                if time.perf_counter() - self.started > limit:
                    raise RuntimeError(f"the temporary Prefect server did not answer within {limit:.0f} s")
                time.sleep(0.05)
        finally:
            self._unlock()
        self.startup_seconds = time.perf_counter() - self.started
        return self

    def starting(self) -> bool:
        """A temporary server launched and not yet seen answering."""
        return self.process is not None and not self.startup_seconds

    def _unlock(self) -> None:
        if self.start_lock is not None:
            os.close(self.start_lock)  # closing the descriptor releases its lock
            self.start_lock = None

    def describe(self) -> str:
        if self.kind == "configured":
            return f"Prefect API {self.url} (PREFECT_API_URL)"
        if self.kind == "local":
            return f"Prefect server {self.url} (already running)"
        return f"temporary Prefect server (start-up {self.startup_seconds:.1f} s; `bitextflow server` saves it)"

    def stop(self) -> None:
        self._unlock()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _lock_new_home(env) -> int | None:
    """Wait for any other run starting a server on this Prefect home; keep the lock
    (returned) if the home has no database yet, so that this run's server makes it alone."""
    import fcntl

    home = prefect_home(env)
    try:
        os.makedirs(home, exist_ok=True)
        fd = os.open(os.path.join(home, START_LOCK), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        return None
    if os.path.exists(os.path.join(home, "prefect.db")):
        os.close(fd)
        return None
    return fd


# A temporary server skips registering Prefect's block types (on a new database ~3 s of
# CPU, and ~0.7 s on every start to check that they are registered: no run uses blocks);
# not memoised either, so that a lasting server on the same home (``bitextflow server``)
# still registers them. Defaults: the caller's environment wins.
TEMPORARY_SERVER_DEFAULTS = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
                             "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
# uvicorn's command line, with the collector's start-up thresholds of a run (see
# flows.supervise) while Prefect's server is imported (~0.7 s of its ~6 s of CPU)
SERVER_MAIN = ("import gc; gc.set_threshold({}, {}, {}); from uvicorn.main import main; main()"
               .format(*START_UP_GC_THRESHOLD))


# settings that put Prefect's database elsewhere than the home's prefect.db (by either prefix)
DATABASE_CHOICE = re.compile(r"PREFECT_(SERVER|API)_DATABASE_(CONNECTION_URL|DRIVER|HOST|PORT|USER|NAME|PASSWORD)$")
MIGRATE_ON_START = ("PREFECT_SERVER_DATABASE_MIGRATE_ON_START", "PREFECT_API_DATABASE_MIGRATE_ON_START")
SETTINGS_FILES = ("prefect.toml", "pyproject.toml", ".env")  # read by Prefect in the working directory


def home_database(env) -> str | None:
    """The Prefect home's prefect.db, if it is surely the database that a server started
    with ``env`` uses: neither ``env`` nor the active profile chooses another database
    (or home), and no settings file that Prefect reads in the working directory says
    anything of Prefect's; else None."""
    profile = profile_settings(env)
    if any(DATABASE_CHOICE.match(name) for name in [*env, *profile]) or "PREFECT_HOME" in profile:
        return None
    for name in SETTINGS_FILES:
        try:
            with open(name, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        if name == "prefect.toml" or ("tool.prefect" if name == "pyproject.toml" else "PREFECT_") in text:
            return None
    return os.path.join(prefect_home(env), "prefect.db")


def prepare_home_database(env) -> tuple[int | None, bool]:
    """Wait for any run making the database of ``env``'s Prefect home, make it from the
    dump if there is none (``flows.prefect_db``); returns the home's lock if it is still
    held (no database, none made: see ``_lock_new_home``) and whether the database is
    surely the server's and at the installed Prefect's head revision."""
    lock = _lock_new_home(env)
    try:
        database = home_database(env)
        head = prefect_db.head_revision() if database else None
        if head and lock is not None and _made_from_dump(database, head):
            os.close(lock)  # made whole at once: nothing for another run to wait for
            lock = None
        return lock, bool(head and prefect_db.at_head(database, head))
    except BaseException:
        if lock is not None:
            os.close(lock)
        raise


def _made_from_dump(database: str, head: str) -> bool:
    try:
        return prefect_db.make_from_dump(database, head=head)
    except (OSError, sqlite3.Error):  # Prefect's migrations make it, and say what fails
        return False


def start_temporary_server(env: dict | None = None) -> Api:
    """Prefect's API app under uvicorn on a free loopback port (not waited for: see ``Api.ready``);
    ``env``: the server's environment (default: this process's)."""
    import importlib.util

    prefect_dir = list(importlib.util.find_spec("prefect").submodule_search_locations)[0]
    port = _free_port()
    env = {**TEMPORARY_SERVER_DEFAULTS, **(os.environ if env is None else env), "PREFECT_UI_ENABLED": "0",
           "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    env.pop("PREFECT_API_URL", None)
    cmd = [sys.executable, "-c", SERVER_MAIN, "--app-dir", os.path.dirname(prefect_dir), "--factory",
           "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "error", "--lifespan", "on"]
    lock = None
    try:
        lock, at_head = prepare_home_database(env)
        if at_head and not any(name in env for name in MIGRATE_ON_START):
            env[MIGRATE_ON_START[0]] = "false"
        proc = subprocess.Popen(cmd, env=env)
    except BaseException:
        if lock is not None:
            os.close(lock)
        raise
    return Api(f"http://127.0.0.1:{port}/api", "temporary", proc, start_lock=lock)


def find_api() -> Api:
    """The configured API, else a running local server, else a temporary server (launched,
    not waited for). Imports nothing of Prefect: ``api_server`` checks Prefect's settings after."""
    url = os.environ.get("PREFECT_API_URL") or profile_api_url()
    if url:
        return Api(url, "configured")
    if is_prefect_api(LOCAL_API):
        return Api(LOCAL_API, "local")
    return start_temporary_server()


@contextlib.contextmanager
def api_server(api: Api | None = None):
    """Yield the run's ``Api`` (see the module docstring; ``api``: one already chosen), its
    URL set for Prefect and for worker processes; a temporary server started here is
    stopped on the way out."""
    owned = api is None  # an ``api`` passed in is stopped by whoever chose it
    api = api or find_api()  # a temporary server launched here starts while Prefect is imported
    try:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        if owned and api.kind == "temporary":
            configured = configured_api_url()  # a setting that only Prefect reads (prefect.toml, .env, ...)
            if configured:
                api.stop()
                api = Api(configured, "configured")
    except BaseException:
        if owned:
            api.stop()
        raise
    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api.url
    try:
        updates = {PREFECT_API_URL: api.url}
        # a new settings context costs ~0.25 s of CPU: none when these are the settings already
        # (the CLI's api_server and the flow's, nested)
        same = all(setting.value() == value for setting, value in updates.items())
        with contextlib.nullcontext() if same else temporary_settings(updates=updates):
            try:
                yield api
            finally:
                # drained while the URL is still set: a log or events worker created
                # after it is gone starts a temporary server of Prefect's own (~12 s)
                if owned and api.process is not None and api.startup_seconds:
                    _drain_to_api()  # or the last log lines and events fail against a stopped server
    finally:
        if old is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = old
        if owned and api.process is not None:
            api.stop()


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
