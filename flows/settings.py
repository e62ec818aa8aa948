"""Prefect settings bitextflow needs before Prefect is imported.

Only defaults are set: a variable the user exported wins.
"""
from __future__ import annotations

import os


def run_home(out: str) -> str | None:
    """Prefect's home for a run, where a temporary server keeps its database: None for
    Prefect's default (PREFECT_HOME if set, else ~/.prefect), the home that ``bitextflow
    server``, its deployments and Prefect's own ephemeral servers use, so a new database
    is made once per user and not once per output folder; ``OUT/.prefect`` when that home
    cannot be written (the working directory is never written to: it may be read-only)."""
    from .runners import prefect_home

    home = prefect_home()
    try:
        os.makedirs(home, exist_ok=True)
        if os.access(home, os.W_OK | os.X_OK):
            return None
    except OSError:
        pass
    return os.path.join(os.path.abspath(out), ".prefect")


def prefect_defaults(verbose: bool = False, home: str | None = None) -> dict[str, str]:
    """``home``: Prefect's home for a run (``run_home``); None leaves Prefect's default."""
    return {
        **({"PREFECT_HOME": home} if home else {}),
        # no telemetry
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        # the temporary server takes 10-15 s to start on a busy 2-core machine; the default limit is 20 s
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
        # a server or served deployment started by bitextflow listens on loopback only
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        # keep Prefect's own log lines out of the user's way unless asked for
        "PREFECT_LOGGING_LEVEL": "INFO" if verbose else "WARNING",
        # Prefect's own errors too: a failed task or flow reaches the command line as its exception,
        # which prints one line for the failures it knows (disk full, ...) and a traceback otherwise;
        # Prefect's copies of it (and of every retry) and its shutdown chatter only repeat that
        "PREFECT_LOGGING_LOGGERS_PREFECT_LEVEL": "INFO" if verbose else "CRITICAL",
    }


def apply_prefect_defaults(verbose: bool = False, home: str | None = None) -> None:
    for key, value in prefect_defaults(verbose, home).items():
        os.environ.setdefault(key, value)
