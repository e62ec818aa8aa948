"""The command line, for the commands that do not start Prefect.

Each command runs once as a user runs it (``python -m flows`` in a subprocess: the
exit status, what reaches stdout and stderr, Chinese text on a pipe); its other cases
call ``flows.cli.main``, the function ``python -m flows`` exits with, in this process
(``here``), which saves an interpreter's start (~0.6 s of CPU for ``align``) per case.
"""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def here(capsys, *args):
    """``flows.cli.main(args)`` in this process, as a CompletedProcess (returncode, stdout, stderr)."""
    from flows.cli import main

    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["bitextflow", *args], code, out, err)


ZH = ["我过二十一岁生日以前，是一个童男子。", "那天晚上我引诱了陈清扬和我到山上去。", "那一夜开头有月光，后来月亮落了。"]
EN = ["Until my twenty-first birthday I was a virgin.", "That night I lured Chen Qingyang up the mountain with me.",
      "At first there was moonlight,", "then the moon set."]


def test_the_fast_commands_do_not_import_prefect():
    code = "import sys, flows.cli, aligners.align, aligners.align.beads, aligners.align.evaluate; print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_align_prints_one_bead_per_line_covering_every_sentence(tmp_path, capsys):
    (tmp_path / "a.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    res = cli("align", str(tmp_path / "a.zh"), str(tmp_path / "a.en"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2, 3]"]
    # swapped languages give the mirrored beads
    swapped = here(capsys, "align", str(tmp_path / "a.en"), str(tmp_path / "a.zh"), "--src-lang", "auto",
                   "--tgt-lang", "auto")
    assert swapped.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2, 3]:[2]"]
    scored = here(capsys, "align", str(tmp_path / "a.zh"), str(tmp_path / "a.en"), "--score")
    assert len(scored.stdout.splitlines()) == 3
    for line in scored.stdout.splitlines():
        assert 0.0 <= float(line.rsplit(":", 1)[1]) <= 1.0


def test_align_with_same_language_twice_is_a_usage_error(tmp_path):
    (tmp_path / "a.en").write_text("\n".join(EN), encoding="utf-8")
    res = cli("align", str(tmp_path / "a.en"), str(tmp_path / "a.en"), "--src-lang", "en")
    assert res.returncode == 2
    assert "both files are en" in res.stderr


def test_eval_folders_text_and_json(tmp_path, capsys):
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir(), test.mkdir()
    (gold / "1.align").write_text("[0]:[0]\n[1]:[1, 2]\n[2]:[]\n")
    (test / "1.align").write_text("[0]:[0]\n[1]:[1]\n[]:[2]\n[2]:[]\n")
    res = cli("eval", str(gold), str(test), "--json")
    assert res.returncode == 0, res.stderr
    scores = json.loads(res.stdout)
    # strict: test beads [0]:[0] and [2]:[] equal gold beads -> precision 2/4;
    # gold beads with both sides: [0]:[0] found, [1]:[1,2] not -> recall 1/2
    assert scores["strict"]["precision"] == pytest.approx(0.5)
    assert scores["strict"]["recall"] == pytest.approx(0.5)
    text = here(capsys, "eval", str(gold), str(test))
    assert text.returncode == 0
    assert text.stdout.startswith("strict  precision 0.5000  recall 0.5000  f1 0.5000")


def test_eval_missing_test_file_names_it(tmp_path, capsys):
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir(), test.mkdir()
    (gold / "7.align").write_text("[0]:[0]\n")
    res = here(capsys, "eval", str(gold), str(test))
    assert res.returncode == 2 and "7.align" in res.stderr


@pytest.mark.parametrize("args, code, message", [
    (["run", "does-not-exist"], 3, "no input"),
    (["run", "EMPTY_DIR"], 3, "no documents found"),
    (["run", "seeds", "--out", "/proc/not-writable"], 4, "not writable"),
])
def test_run_exit_codes_when_nothing_can_run(tmp_path, args, code, message):
    (tmp_path / "empty").mkdir()
    args = [str(tmp_path / "empty") if a == "EMPTY_DIR" else a for a in args]
    res = cli(*args)
    assert res.returncode == code, res.stderr
    assert message in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1  # one clear line, no traceback


def test_normalize_diff_and_detect_show_what_happens_to_one_file(tmp_path, capsys):
    f = tmp_path / "doc.txt"
    f.write_text("  Exports of ‘ Three new samples ’ grew.\n\n  西部地区,优势在哪里?\n", encoding="utf-8")
    diff = cli("normalize", str(f), "--diff")
    assert diff.returncode == 0, diff.stderr
    assert "+ Exports of ‘Three new samples’ grew." in diff.stdout
    assert "+ 西部地区，优势在哪里？" in diff.stdout
    plain = here(capsys, "normalize", str(f))
    assert plain.stdout.splitlines() == ["Exports of ‘Three new samples’ grew.", "西部地区，优势在哪里？"]
    det = here(capsys, "detect", str(f))
    assert det.returncode == 0, det.stderr
    rows = [line.split("\t") for line in det.stdout.splitlines()]
    assert rows[0] == ["seg_id", "paragraph", "lang", "flags", "text"]
    assert [r[2] for r in rows[1:]] == ["en", "zh"]


def test_prune_keeps_the_newest_runs(tmp_path, capsys):
    from aligners.io import runs

    out = str(tmp_path)
    ids = []
    for _ in range(3):
        run_id, _ = runs.new_run_dir(out)
        runs.publish(out, run_id)
        ids.append(run_id)
    res = here(capsys, "prune", "--keep", "2", "--out", out)
    assert res.returncode == 0, res.stderr
    assert runs.list_runs(out) == ids[1:]
    assert here(capsys, "prune", "--keep", "0", "--out", out).returncode == 2


@pytest.mark.parametrize("files, message", [
    (("a.en", "a.en"), "a.en looks English, not Chinese (--src-lang zh)"),  # both sides English
    (("a.en", "a.zh"), "a.en looks English, not Chinese (--src-lang zh)"),  # swapped
    (("a.zh", "a.zh"), "a.zh looks Chinese, not English (--tgt-lang en)"),
])
def test_align_refuses_content_that_does_not_match_the_declared_languages(tmp_path, capsys, files, message):
    (tmp_path / "a.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    res = here(capsys, "align", *(str(tmp_path / f) for f in files))
    assert res.returncode == 2
    assert res.stdout == ""
    assert message in res.stderr and "--force" in res.stderr and len(res.stderr.splitlines()) == 1
    forced = here(capsys, "align", *(str(tmp_path / f) for f in files), "--force")
    assert forced.returncode == 0 and forced.stdout


def test_show_on_an_older_layout_or_no_corpus_says_so_in_one_line(tmp_path, capsys):
    missing = cli("show", "d", "--out", str(tmp_path))
    assert missing.returncode == 3
    assert missing.stderr.strip() == (f"bitextflow show: no corpus in {tmp_path} (corpus.tsv missing); "
                                      f"run `bitextflow run --out {tmp_path}` first")
    # the layout of an older version: other columns
    (tmp_path / "corpus.tsv").write_text("doc_id\tzh\ten\tscore\nd\t你好\tHello\t0.9\n", encoding="utf-8")
    (tmp_path / "segments.tsv").write_text("doc_id\tseg_id\tlang\tstatus\ttext\nd\t0\tzh\tpaired\t你好\n",
                                           encoding="utf-8")
    old = here(capsys, "show", "d", "--out", str(tmp_path))
    assert old.returncode == 3
    assert len(old.stderr.splitlines()) == 1 and "Traceback" not in old.stderr
    assert "written by another version of bitextflow" in old.stderr


TOO_LATE = ("bitextflow run: the temporary Prefect server did not answer within 1 s (a busy machine? raise "
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or keep one running with `bitextflow server`)")


def test_a_temporary_server_that_does_not_answer_in_time_is_one_line(tmp_path, capsys, monkeypatch):
    """The run's side of it, in this process: a launched server (here a process that never
    answers) past the start-up limit is one line that says what to do, exit 1, and is stopped."""
    import time

    from flows import runners, supervise
    from flows.settings import prefect_defaults

    (tmp_path / "a.txt").write_text("你好。\nHello.\n", encoding="utf-8")
    for name in prefect_defaults():  # the run sets these defaults: put back as they were afterwards
        monkeypatch.setenv(name, os.environ.get(name, ""))
        monkeypatch.delenv(name)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    for name in ("is_supervised_child", "watch_parent", "gc_for_start_up", "gc_started"):
        # the supervised child's part is this process; its parent watch and collector settings are not wanted here
        monkeypatch.setattr(supervise, name, (lambda: True) if name == "is_supervised_child" else (lambda: None))
    silent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    url = f"http://127.0.0.1:{runners._free_port()}/api"  # nothing listens there
    server = runners.Api(url, "temporary", process=silent, started=time.perf_counter() - 1.5)
    monkeypatch.setattr(runners, "LOCAL_API", url)
    monkeypatch.setattr(runners, "configured_api_url", lambda: None)
    monkeypatch.setattr(runners, "start_temporary_server", lambda: server)
    try:
        res = here(capsys, "run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"))
        assert res.returncode == 1
        assert res.stderr.strip().splitlines() == [TOO_LATE]
        assert silent.poll() is not None  # stopped by the run
    finally:
        silent.kill()
        silent.wait()


@pytest.mark.slow  # starts a real temporary server: its start is the subject
def test_a_temporary_server_that_does_not_start_is_one_line(tmp_path):
    """The start-up limit (here 1 s) reached: one line that says what to do, exit 1."""
    (tmp_path / "a.txt").write_text("你好。\nHello.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1", PREFECT_HOME=str(tmp_path / "home"))
    res = subprocess.run([sys.executable, "-m", "flows", "run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [TOO_LATE]
