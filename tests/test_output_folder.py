"""The output folder under concurrent and failing use: locks, failed writes, disk full,
and never reading it back as input."""
import errno
import multiprocessing
import os
import re
import subprocess
import sys

import pytest

from aligners.cache import store as doccache
from aligners.io import runs
from aligners.io.inputs import discover
from aligners.io.tsv import atomic_write_text

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_run(out, text):
    run_id, run_dir = runs.new_run_dir(out)
    for name in ("corpus.tsv", "segments.tsv"):
        atomic_write_text(os.path.join(run_dir, name), [f"{text}\n"])
    doccache.write_manifest(run_dir, [])
    runs.publish(out, run_id)
    return run_id


def test_a_run_being_written_is_not_listed_and_a_failed_one_leaves_no_run_folder(tmp_path):
    out = str(tmp_path)
    first = write_run(out, "one")
    run_id, run_dir = runs.new_run_dir(out)
    assert runs.list_runs(out) == [first]  # not visible until published
    atomic_write_text(os.path.join(run_dir, "corpus.tsv"), ["half\n"])
    # the same process tries again (a retried write): the failed attempt goes
    again, _ = runs.new_run_dir(out)
    assert not os.path.exists(run_dir)
    assert runs.list_runs(out) == [first]
    assert (tmp_path / "corpus.tsv").read_text() == "one\n"
    # prune removes unfinished folders of writers that are gone, not those of a live writer (this process)
    code = "import sys; from aligners.io import runs; print(runs.prune(sys.argv[1], 5))"
    res = subprocess.run([sys.executable, "-c", code, out], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert os.path.isdir(tmp_path / "runs" / again)  # this process is alive: its unfinished folder stays
    assert runs.remove_failed(out, own=True) == [again]
    assert sorted(os.listdir(tmp_path / "runs")) == [first]


def _publish_many(out, tag, n, barrier):
    for i in range(n):
        barrier.wait()
        write_run(out, f"{tag}-{i}")


def test_two_runs_publishing_at_once_leave_latest_and_the_top_level_files_from_one_run(tmp_path):
    out, n = str(tmp_path), 15
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_publish_many, args=(out, tag, n, barrier)) for tag in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    latest = (tmp_path / "latest" / "corpus.tsv").read_text()
    assert (tmp_path / "corpus.tsv").read_text() == latest
    assert (tmp_path / "segments.tsv").read_text() == latest
    assert len(runs.list_runs(out)) == 2 * n


def test_prune_refuses_while_a_run_works_in_the_folder(tmp_path):
    out = str(tmp_path / "out")
    write_run(out, "one")
    write_run(out, "two")
    with runs.in_use(out):
        with pytest.raises(runs.OutputBusy, match="a bitextflow run is working in"):
            doccache.prune_outputs(out, 1)
        res = subprocess.run([sys.executable, "-m", "flows", "prune", "--keep", "1", "--out", out],
                             capture_output=True, text=True, cwd=ROOT)
        assert res.returncode == 4
        assert res.stderr.strip() == f"bitextflow prune: a bitextflow run is working in {out}; prune when it has finished"
        assert len(runs.list_runs(out)) == 2
    removed, _ = doccache.prune_outputs(out, 1)
    assert len(removed) == 1


def test_prune_of_a_missing_folder_creates_nothing(tmp_path):
    assert doccache.prune_outputs(str(tmp_path / "none"), 1)[0] == []
    assert not (tmp_path / "none").exists()


def test_an_output_folder_inside_the_inputs_is_never_read(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("你好。\nHello.\n", encoding="utf-8")
    out = inputs / "out"
    with runs.in_use(str(out)):
        pass
    write_run(str(out), "x")
    (out / "stray.txt").write_text("not an input\n")
    specs, skipped = discover([str(inputs)])
    assert [s.doc_id for s in specs] == ["a"]
    assert any("output folder" in s.reason for s in skipped)
    # named explicitly, a file inside it is not read either
    specs, skipped = discover([str(out / "stray.txt")])
    assert specs == [] and "output folder" in skipped[0].reason


def test_a_failed_write_names_its_file(tmp_path, monkeypatch):
    target = tmp_path / "corpus.tsv"

    def lines():
        yield "a\n"
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as err:
        atomic_write_text(str(target), lines())
    assert err.value.filename == str(target)
    assert os.listdir(tmp_path) == []


def test_disk_full_message_names_the_device_and_the_file(tmp_path):
    from flows.cli import disk_full

    exc = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "runs" / "x" / "corpus.tsv"))
    message = disk_full(exc, str(tmp_path))
    mount = str(tmp_path)
    while not os.path.ismount(mount):
        mount = os.path.dirname(mount)
    assert message.startswith(f"no space left on {mount} while writing {tmp_path}/runs/x/corpus.tsv")


@pytest.mark.slow
def test_disk_full_while_writing_exits_4_with_one_line_and_keeps_the_published_corpus(
        tmp_path, monkeypatch, capsys, prefect_harness):
    from aligners.io import tsv
    from flows import cli, supervise

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("我们去了山上。天气很好。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("We went up the mountain. The weather was good.\n", encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setenv(supervise.WORKER_ENV, str(os.getppid()))  # run in this process, not a child
    assert cli.main(["run", str(inputs), "--out", str(out), "--quiet"]) == 0
    published = {name: (out / name).read_bytes() for name in runs.PUBLISHED if (out / name).exists()}
    assert "corpus.tsv" in published
    before = runs.list_runs(str(out))

    fake: dict = {}
    exec(FULL_DISK_FAKE, fake)  # the same fake as the subprocess's, over tsv.atomic_file as it is now
    monkeypatch.setattr(tsv, "atomic_file", fake["full_disk"])
    (inputs / "a.en.txt").write_text("We went up the hill. The weather was fine.\n", encoding="utf-8")
    monkeypatch.setenv(supervise.WORKER_ENV, str(os.getppid()))
    capsys.readouterr()
    assert cli.main(["run", str(inputs), "--out", str(out), "--quiet"]) == 4
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("bitextflow run: no space left on ")
    assert re.search(r" while writing " + re.escape(str(out / "runs")) + r"/\S+/corpus\.tsv;", last), last
    assert {name: (out / name).read_bytes() for name in runs.PUBLISHED if (out / name).exists()} == published
    assert runs.list_runs(str(out)) == before
    assert sorted(os.listdir(out / "runs")) == before  # no unfinished folder either


# tsv.atomic_file whose writes to corpus.tsv fail as on a full disk
FULL_DISK_FAKE = """
import contextlib, errno, os
from aligners.io import tsv
real = tsv.atomic_file
@contextlib.contextmanager
def full_disk(path, mode="w"):
    with real(path, mode) as fh:
        if os.path.basename(path) == "corpus.tsv":
            def write(*_):
                raise OSError(errno.ENOSPC, "No space left on device")
            fh.write = write
        yield fh
"""

FULL_DISK = FULL_DISK_FAKE + """
import sys
from flows import supervise
tsv.atomic_file = full_disk
os.environ[supervise.WORKER_ENV] = str(os.getppid())  # this process does the work
from flows.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
def test_disk_full_prints_one_line_and_nothing_of_prefect(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.zh.txt").write_text("我们去了山上。\n", encoding="utf-8")
    (inputs / "a.en.txt").write_text("We went up the mountain.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "600"
    res = subprocess.run([sys.executable, "-c", FULL_DISK, "run", str(inputs), "--out", str(tmp_path / "out"),
                          "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=900, env=env)
    assert res.returncode == 4, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bitextflow run: no space left on "), res.stderr
    assert runs.list_runs(str(tmp_path / "out")) == []
