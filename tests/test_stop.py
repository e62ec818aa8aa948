"""Stopping bitextflow stops everything it started: signals to the CLI or its group,
the CLI killed outright, and a child that fails; one line, exit 128 + signal."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A stand-in for the work a command does: it starts a grandchild in its group and one
# that leaves the group (setsid), writes their pids, and waits.
CHILD = textwrap.dedent("""
    import os, subprocess, sys, time
    from flows import supervise
    supervise.watch_parent(interval=0.1)
    a = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    b = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"], start_new_session=True)
    with open(sys.argv[1], "w") as fh:
        fh.write(f"{os.getpid()} {a.pid} {b.pid}")
    if sys.argv[2] == "fail":
        raise SystemExit(1)
    time.sleep(600)
""")

PARENT = textwrap.dedent("""
    import sys
    from flows.supervise import supervise
    sys.exit(supervise([sys.executable, "-c", sys.argv[1], sys.argv[2], sys.argv[3]], "run"))
""")


def start(tmp_path, mode="wait"):
    pids = tmp_path / "pids"
    proc = subprocess.Popen([sys.executable, "-c", PARENT, CHILD, str(pids), mode], cwd=ROOT,
                            start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (pids.exists() and len(pids.read_text().split()) == 3):
        assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() else ""
        time.sleep(0.05)
    return proc, [int(p) for p in pids.read_text().split()]


def gone(pids, within=10.0) -> bool:
    deadline = time.monotonic() + within
    while True:
        alive = [p for p in pids if _running(p)]
        if not alive:
            return True
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    for p in alive:  # do not leave them behind when the test fails
        os.kill(p, signal.SIGKILL)
    return False


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("sig, code, to_group", [(signal.SIGTERM, 143, False), (signal.SIGINT, 130, False),
                                                 (signal.SIGINT, 130, True), (signal.SIGTERM, 143, True)])
def test_a_signal_stops_every_process_with_one_line_and_128_plus_the_signal(tmp_path, sig, code, to_group):
    proc, pids = start(tmp_path)
    t0 = time.monotonic()
    if to_group:
        os.killpg(proc.pid, sig)  # Ctrl-C in a terminal: the CLI's process group
    else:
        proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - t0 < 5
    assert proc.returncode == code
    assert err.splitlines() == [f"bitextflow run: stopped by {signal.Signals(sig).name}; "
                                "its processes are stopped too"]
    assert gone(pids)


def test_the_cli_killed_outright_takes_its_group_with_it(tmp_path):
    proc, pids = start(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    assert gone(pids[:2])  # the child watches its parent and stops its own group
    gone(pids[2:], within=0)  # the one that left the group cannot be reached then: clean up


def test_a_failing_child_leaves_nothing_running(tmp_path):
    proc, pids = start(tmp_path, mode="fail")
    proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert gone(pids)


def test_server_stops_its_prefect_child_on_sigterm(tmp_path):
    """`bitextflow server`'s child (here a stand-in that ignores nothing) ends with it."""
    code = textwrap.dedent("""
        import sys
        from flows import deploy
        deploy.server_command = lambda port, host: [sys.executable, "-c", "import time; time.sleep(600)"]
        sys.exit(deploy.server(4999))
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while not psutil.Process(proc.pid).children():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    child = psutil.Process(proc.pid).children()[0].pid
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert err.splitlines()[-1].startswith("bitextflow server: stopped by SIGTERM")
    assert gone([child])
