"""Peak memory of ``bitextflow run`` as the pile grows: 100, 1,000, 10,000 documents.

Piles are cut from MAC-Dev and news-dev (``bench/pipeline_pile.py``). Each run is a
new ``bitextflow run`` process (thread runner, fresh output folder) against one
Prefect server started here, so the server's memory is not counted; the figure is
the largest resident set of any process of the command (``ru_maxrss`` of its
process tree: the flow's process, or a document worker), with wall time, pairs and
the load average.

    nice -n 10 .venv/bin/python bench/pipeline_memory.py [--sizes 100 1000 10000]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(os.path.join(HERE, "..")))
sys.path.insert(0, HERE)

import pipeline_pile  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = ap.parse_args()
    if not pipeline_pile.available():
        print("dev data not found; nothing to measure")
        return
    from flows.deploy import server_command
    from flows.runners import _free_port, is_prefect_api

    work = tempfile.mkdtemp(prefix="bench-memory-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(server_command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**env, "PREFECT_HOME": os.path.join(work, "server-home"),
                                   "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"},
                              start_new_session=True)
    try:
        while not is_prefect_api(url, timeout=2):
            if server.poll() is not None:
                raise SystemExit("the Prefect server did not start")
            time.sleep(0.2)
        client_env = {**env, "PREFECT_API_URL": url}
        for n in args.sizes:
            pile = os.path.join(work, f"pile-{n}")
            pipeline_pile.cut_pile(pile, n)
            out = os.path.join(work, f"out-{n}")
            load = " ".join(open("/proc/loadavg").read().split()[:3])
            # a fresh child for each size, so that ru_maxrss is this run's alone
            code = ("import resource, subprocess, sys; rc = subprocess.call(sys.argv[1:]); "
                    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(rc)")
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "flows", "run", pile,
                                   "--out", out, "--quiet"], env=client_env, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            if proc.returncode != 0:
                raise SystemExit(proc.stderr[-3000:])
            peak_mb = int(proc.stdout.split()[-1]) / 1024
            with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
                pairs = json.load(fh)["pairs"]
            size = sum(os.path.getsize(os.path.join(pile, f)) for f in os.listdir(pile)) / 1e6
            print(f"{n} documents ({size:.1f} MB of text, {pairs} pairs): peak RSS {peak_mb:.0f} MB, "
                  f"{wall:.1f} s wall; load {load}", flush=True)
            shutil.rmtree(pile, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
