"""Kill a run with SIGKILL half-way, run it again: it completes, reuses what finished,
and its outputs are byte-identical to an uninterrupted run."""
import os
import random
import re
import signal
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZH_WORDS = list("山水茶园村民清晨雾气竹篓合作社年轻人直播收入统一加工品牌")
EN_WORDS = "mountain water tea garden villagers morning mist basket cooperative young income brand".split()


def make_inputs(folder, n_docs=24, n_sents=120):
    rng = random.Random(3)
    folder.mkdir()
    for d in range(n_docs):
        zh = ["".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(8, 30))) + "。" for _ in range(n_sents)]
        en = [" ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(5, 20))).capitalize() + "."
              for _ in range(n_sents)]
        (folder / f"doc{d:02d}.zh.txt").write_text("\n\n".join(zh), encoding="utf-8")
        (folder / f"doc{d:02d}.en.txt").write_text("\n\n".join(en), encoding="utf-8")


def bitextflow(*args, env):
    return subprocess.Popen([sys.executable, "-m", "flows", *args], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def cache_entries(out):
    folder = out / ".cache"
    return len(os.listdir(folder)) if folder.is_dir() else 0


@pytest.mark.slow
def test_sigkill_then_rerun_completes_reuses_and_matches(tmp_path, prefect_server):
    inputs = tmp_path / "in"
    make_inputs(inputs)
    # the three runs report to the session's server: what is under test is the kill and the rerun
    env = dict(prefect_server, PREFECT_HOME=str(tmp_path / "prefect-home"))
    killed_out, clean_out = tmp_path / "killed", tmp_path / "clean"

    proc = bitextflow("run", str(inputs), "--out", str(killed_out), env=env)
    deadline = time.monotonic() + 240
    while cache_entries(killed_out) < 6 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed: make the input larger"
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI's process group (its supervised child then stops itself)
    proc.wait(timeout=30)
    finished = cache_entries(killed_out)
    assert finished >= 6
    assert not (killed_out / "corpus.tsv").exists(), "a killed run must not publish a corpus"

    rerun = bitextflow("run", str(inputs), "--out", str(killed_out), env=env)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    # the summary says how much came from the cache
    segmented, aligned = map(int, re.search(r"from cache: (\d+) segmented, (\d+) aligned", out).groups())
    assert segmented + aligned >= 1

    clean = bitextflow("run", str(inputs), "--out", str(clean_out), env=env)
    _, err = clean.communicate(timeout=600)
    assert clean.returncode == 0, err
    for name in ("corpus.tsv", "segments.tsv"):
        assert (killed_out / name).read_bytes() == (clean_out / name).read_bytes(), name
    # no temporary files left behind in the published folder
    assert not [p for p in os.listdir(killed_out) if p.startswith(".tmp") or p.endswith(".tmp")]
