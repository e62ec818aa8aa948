"""Prefect settings bitextflow needs before Prefect is imported.

Only defaults are set: a variable the user exported wins.
"""
from __future__ import annotations

import os


def prefect_defaults(verbose: bool = False, home: str | None = None) -> dict[str, str]:
    """``home``: Prefect's home for a run (its temporary server's database), under the
    output folder, so nothing is written to the working directory (which may be
    read-only) or to ~; None leaves Prefect's default (~/.prefect), which a long-lived
    ``bitextflow server`` and the deployments it schedules share."""
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
