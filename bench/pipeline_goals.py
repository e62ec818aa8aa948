"""The four start-up and throughput figures of ``bitextflow run``, measured from outside.

Every figure is one or more ``bitextflow run`` commands in new processes, timed by
wall clock and by CPU (the command with its workers, and the Prefect server it
started, if any), with the load average beside it (the machine may be shared):

1. a new user's first run on ``seeds/``: a new home folder (``HOME``, with no
   ``~/.prefect`` and no ``~/.cache/bitextflow``), a new ``TMPDIR``,
   a fresh output folder, no ``PREFECT_API_URL``; then the same user's second run on
   ``seeds/`` into another new output folder (Prefect's home and the caches warm);
2. one tiny document pair, no server configured, warm (the same user, the same
   output folder run before): median of ``--repeat``;
3. one tiny document pair against a running Prefect server (started here as
   ``bitextflow server`` starts it), median of ``--repeat``, beside a bare flow of
   two trivial tasks against the same server (what Prefect itself costs);
4. the dev sets' 258 real documents (``bench/pipeline_pile.py``) against that server,
   fresh output: pairs/s after the fixed cost (figure 3), thread runner and
   ``--runner dask``.

If a server already runs at bitextflow's default address, figures 1 and 2 use it
(the command's last line, printed here, says so).

Before them, the temporary server alone (``flows.runners.start_temporary_server``, as a
run starts it): its CPU seconds until it answers, on a new Prefect home and on one
that has a database, median of ``--repeat``. CPU moves less than wall time with the
load of a shared machine, and a run waits for its server on the other core.

    .venv/bin/python bench/pipeline_goals.py [--repeat 3] [--skip-dask] [--skip-pile] [--server-only] [--docs N]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import pipeline_pile  # noqa: E402

ZH = "今天天气很好。我们去公园散步。\n"
EN = "The weather is fine today. We go for a walk in the park.\n"
BARE_FLOW = """
from prefect import flow, task

@task
def one(x):
    return x + 1

@flow
def bare():
    return one.submit(one.submit(1)).result()

bare()
"""


def loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict, cwd: str) -> dict:
    load = loadavg()
    c0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, children_cpu() - c0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return {"wall": wall, "cpu": cpu, "load": load, "stdout": proc.stdout.strip()}


def bitextflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows", "run", *args]


def show(label: str, r: dict) -> None:
    print(f"{label}: {r['wall']:.2f} s wall, {r['cpu']:.2f} s CPU (with its children); load {r['load']}")


def server_start(env: dict, home: str) -> dict:
    """A temporary server started on ``home`` as a run starts it: wall and its CPU seconds until it answers."""
    import psutil

    from flows.runners import start_temporary_server

    load = loadavg()
    t0 = time.perf_counter()
    api = start_temporary_server({**env, "PREFECT_HOME": home, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                                  "DO_NOT_TRACK": "1", "PREFECT_LOGGING_LEVEL": "WARNING"})
    try:
        api.ready()
        wall = time.perf_counter() - t0
        times = psutil.Process(api.process.pid).cpu_times()
    finally:
        api.stop()
    return {"wall": wall, "cpu": times.user + times.system, "load": load}


def median_of(n: int, fn) -> dict:
    runs = [fn() for _ in range(n)]
    walls = [r["wall"] for r in runs]
    best = sorted(runs, key=lambda r: r["wall"])[len(runs) // 2]
    return {**best, "walls": walls}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-pile", action="store_true", help="the fixed costs only (figures 1-3)")
    ap.add_argument("--server-only", action="store_true", help="the temporary server alone (figure 0)")
    ap.add_argument("--docs", type=int, default=0, help="a pile cut into N documents instead of the real pile")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="bench-goals-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "XDG_"))}
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "900"  # a shared machine may be very slow
    env["HOME"], env["TMPDIR"] = os.path.join(work, "home"), os.path.join(work, "tmp")  # a new user
    os.makedirs(env["HOME"])
    os.makedirs(env["TMPDIR"])
    tiny = os.path.join(work, "tiny")
    os.makedirs(tiny)
    with open(os.path.join(tiny, "park.zh.txt"), "w", encoding="utf-8") as fh:
        fh.write(ZH)
    with open(os.path.join(tiny, "park.en.txt"), "w", encoding="utf-8") as fh:
        fh.write(EN)
    try:
        # 0. the temporary server alone
        for label, home in (("a new Prefect home", lambda i: os.path.join(work, f"server-new-{i}")),
                            ("a home with a database", lambda i: os.path.join(work, "server-new-0"))):
            runs = [server_start(env, home(i)) for i in range(args.repeat)]
            cpus, walls = sorted(r["cpu"] for r in runs), sorted(r["wall"] for r in runs)
            print(f"0. temporary server on {label}: {statistics.median(cpus):.2f} s of its CPU until it answers "
                  f"({', '.join(f'{c:.2f}' for c in cpus)}), {statistics.median(walls):.2f} s wall "
                  f"({', '.join(f'{w:.2f}' for w in walls)}); load {runs[0]['load']} .. {runs[-1]['load']}")
        if args.server_only:
            return

        # 1. a new user's first run
        r = timed(bitextflow(os.path.join(ROOT, "seeds"), "--out", os.path.join(work, "first")), env, work)
        show("1. first run on seeds/ (new user: empty Prefect home and caches; no server configured)", r)
        print("   " + r["stdout"].replace("\n", "\n   "))
        r = timed(bitextflow(os.path.join(ROOT, "seeds"), "--out", os.path.join(work, "second")), env, work)
        show("   the same user's second run on seeds/, into a new output folder", r)
        print("   " + r["stdout"].splitlines()[-1])

        # 2. tiny pair, no server configured, warm
        out = os.path.join(work, "warm")
        timed(bitextflow(tiny, "--out", out), env, work)
        r = median_of(args.repeat, lambda: timed(bitextflow(tiny, "--out", out), env, work))
        show(f"2. tiny pair, no server configured, warm: median of {', '.join(f'{w:.2f}' for w in r['walls'])} s", r)
        print("   " + r["stdout"].splitlines()[-1])

        # 3. against a running server
        from flows.deploy import server_command
        from flows.runners import _free_port, is_prefect_api

        port = _free_port()
        url = f"http://127.0.0.1:{port}/api"
        server_env = {**env, "PREFECT_HOME": os.path.join(work, "server-home"), "PREFECT_UI_ENABLED": "false",
                      "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                      "PREFECT_LOGGING_LEVEL": "WARNING"}
        server = subprocess.Popen(server_command(port), env=server_env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            t0 = time.perf_counter()
            while not is_prefect_api(url, timeout=2):
                if server.poll() is not None or time.perf_counter() - t0 > 600:
                    raise SystemExit("the Prefect server did not start")
                time.sleep(0.2)
            print(f"   (Prefect server for figures 3 and 4 ready after {time.perf_counter() - t0:.1f} s)")
            client_env = {**env, "PREFECT_API_URL": url, "PREFECT_HOME": os.path.join(work, "client-home")}
            bare = median_of(args.repeat, lambda: timed([sys.executable, "-c", BARE_FLOW], client_env, work))
            out = os.path.join(work, "served")
            timed(bitextflow(tiny, "--out", out), client_env, work)
            r = median_of(args.repeat, lambda: timed(bitextflow(tiny, "--out", out), client_env, work))
            fixed = r["wall"]
            show(f"3. tiny pair against a running server: median of {', '.join(f'{w:.2f}' for w in r['walls'])} s", r)
            show("   a bare flow of two trivial tasks against the same server, median", bare)

            # 4. a pile of real documents
            runners = [] if args.skip_pile else ["thread"] + ([] if args.skip_dask else ["dask"])
            pile = os.path.join(work, "pile")
            if runners:
                n = pipeline_pile.cut_pile(pile, args.docs) if args.docs else pipeline_pile.real_pile(pile)
            for runner in runners:
                out = os.path.join(work, f"pile-{runner}")
                r = timed(bitextflow(pile, "--out", out, "--runner", runner), client_env, work)
                with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
                    pairs = json.load(fh)["pairs"]
                rate = pairs / max(1e-9, r["wall"] - fixed)
                show(f"4. {n} real documents, --runner {runner}: {pairs} pairs, {pairs / r['wall']:.0f} pairs/s "
                     f"overall, {rate:.0f} pairs/s after the fixed cost ({fixed:.2f} s)", r)
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # its group: uvicorn may run below the CLI
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
