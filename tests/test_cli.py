"""The command line, run as a user runs it (subprocesses), for the commands that do not start Prefect."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "flows", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


ZH = ["我过二十一岁生日以前，是一个童男子。", "那天晚上我引诱了陈清扬和我到山上去。", "那一夜开头有月光，后来月亮落了。"]
EN = ["Until my twenty-first birthday I was a virgin.", "That night I lured Chen Qingyang up the mountain with me.",
      "At first there was moonlight,", "then the moon set."]


def test_the_fast_commands_do_not_import_prefect():
    code = "import sys, flows.cli, aligners.align, aligners.beads, aligners.evaluate; print('prefect' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_align_prints_one_bead_per_line_covering_every_sentence(tmp_path):
    (tmp_path / "a.zh").write_text("\n".join(ZH) + "\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("\n".join(EN) + "\n", encoding="utf-8")
    res = cli("align", str(tmp_path / "a.zh"), str(tmp_path / "a.en"))
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2, 3]"]
    # swapped languages give the mirrored beads
    swapped = cli("align", str(tmp_path / "a.en"), str(tmp_path / "a.zh"), "--src-lang", "auto", "--tgt-lang", "auto")
    assert swapped.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2, 3]:[2]"]
    scored = cli("align", str(tmp_path / "a.zh"), str(tmp_path / "a.en"), "--score")
    for line in scored.stdout.splitlines():
        assert 0.0 <= float(line.rsplit(":", 1)[1]) <= 1.0


def test_align_with_same_language_twice_is_a_usage_error(tmp_path):
    (tmp_path / "a.en").write_text("\n".join(EN), encoding="utf-8")
    res = cli("align", str(tmp_path / "a.en"), str(tmp_path / "a.en"), "--src-lang", "en")
    assert res.returncode == 2
    assert "both files are en" in res.stderr


def test_eval_folders_text_and_json(tmp_path):
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
    text = cli("eval", str(gold), str(test))
    assert text.stdout.startswith("strict  precision 0.5000  recall 0.5000  f1 0.5000")


def test_eval_missing_test_file_names_it(tmp_path):
    gold, test = tmp_path / "gold", tmp_path / "test"
    gold.mkdir(), test.mkdir()
    (gold / "7.align").write_text("[0]:[0]\n")
    res = cli("eval", str(gold), str(test))
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
