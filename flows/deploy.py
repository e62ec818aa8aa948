"""Scheduled reprocessing: a local Prefect server, and a served deployment of the flow.

Both listen on 127.0.0.1 unless the user asks for another host: ``server`` passes
``--host`` explicitly, and ``serve`` keeps the runner's optional web server
(off by default) on loopback.
"""
from __future__ import annotations

import os
import sys

DEPLOYMENT = "bitextflow-scheduled"


class NoServerError(RuntimeError):
    """Schedules need a real Prefect server."""


def server_command(port: int = 4200, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "prefect", "server", "start", "--host", host, "--port", str(port)]


def server(port: int = 4200, host: str = "127.0.0.1") -> int:
    """Run ``prefect server start`` until it ends or bitextflow is stopped (then it is
    stopped too: SIGTERM, 10 s to finish, then SIGKILL); returns the exit status."""
    from .supervise import supervise

    print(f"Prefect server on http://{host}:{port} (UI and API); in another shell:\n"
          f"  export PREFECT_API_URL=http://{host}:{port}/api", file=sys.stderr)
    return supervise(server_command(port, host), "server", grace=10.0, bitextflow_child=False)


def deployment_parameters(inputs: list[str], out: str, config=None) -> dict:
    """JSON parameters for the deployment: absolute paths (runs start in another process)."""
    from aligners.config import Config

    config = config or Config()
    return {"inputs_": [os.path.abspath(i) for i in inputs], "out": os.path.abspath(out),
            "config": config.to_dict()}


def serve(inputs: list[str], out: str, cron: str, config=None, name: str = DEPLOYMENT) -> None:
    """Serve a deployment of the reprocessing flow on ``cron`` until interrupted.

    Runs are scheduled and recorded by the server at ``PREFECT_API_URL``; trigger one
    by hand with ``prefect deployment run 'bitextflow-run/<name>'``.
    """
    from prefect.settings import PREFECT_RUNNER_SERVER_HOST, temporary_settings

    from .runners import configured_api_url

    if not configured_api_url():
        raise NoServerError("schedules need a Prefect server: start one with `bitextflow server` and "
                            "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    from .pipeline import run_flow

    updates = {}
    if "PREFECT_RUNNER_SERVER_HOST" not in os.environ:
        updates[PREFECT_RUNNER_SERVER_HOST] = "127.0.0.1"
    with temporary_settings(updates=updates):
        run_flow.serve(name=name, cron=cron, parameters=deployment_parameters(inputs, out, config),
                       description="bitextflow: reprocess the inputs into a corpus (cached: only changes are redone)")
