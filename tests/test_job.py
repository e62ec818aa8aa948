"""process_corpus: the whole job without Prefect, and the same files as the flow."""
import json
import os
import subprocess
import sys

from aligners.config import AlignConfig, Config
from aligners.job import process_corpus
from aligners.report.html import render_html
from aligners.report.summary import build_report, render_markdown
from aligners.types import NO_ENGLISH, RunOutputs

DOCS = {
    "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
    "b": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
}


def test_process_corpus_writes_and_publishes_a_run(pair_folder, tmp_path):
    folder = pair_folder(DOCS)
    (folder / "alone.txt").write_text("只有中文的一句话。\n", encoding="utf-8")
    config = Config(align=AlignConfig(min_score=0.25))
    written = process_corpus([str(folder)], str(tmp_path / "out"), config)
    assert isinstance(written, RunOutputs)
    out = tmp_path / "out"
    for name in ("corpus.tsv", "segments.tsv", "report.json", "report.md", "report.html"):
        assert (out / name).read_bytes() == (out / "latest" / name).read_bytes() == open(written.path(name), "rb").read()
    assert (written.documents, written.rejected) == (3, 0)
    assert written.pairs >= 2 and written.pairs == len((out / "corpus.tsv").read_text(encoding="utf-8").splitlines()) - 1
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report == json.loads(json.dumps(written.report)) and written.from_cache == {"segment": 0, "align": 0}
    assert report["unpaired_by_reason"][NO_ENGLISH] == 1  # alone.txt
    assert report["config_signature"] == config.signature()
    assert written.unpaired == sum(report["unpaired_by_reason"].values())
    assert report["timings"]["align (sum over documents)"] > 0


# One corpus run in a fresh interpreter; fails if Prefect was imported.
RUN = ("import sys; from aligners import process_corpus; process_corpus(sys.argv[1:-1], sys.argv[-1]); "
       "assert not any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules), 'prefect imported'")


def test_outputs_do_not_depend_on_the_hash_seed_and_need_no_prefect(pair_folder, tmp_path):
    """Two processes with different PYTHONHASHSEED values write byte-identical files."""
    folder = pair_folder({**DOCS, "c": ("他买了三本书，两支笔。书很便宜。", "He bought three books and two pens. "
                                                                 "The books were cheap.")})
    (folder / "mixed.txt").write_text("茶园在山上。\nThe tea garden is on the hill.\nDas ist Deutsch.\n",
                                      encoding="utf-8")
    procs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        procs.append(subprocess.Popen([sys.executable, "-c", RUN, str(folder), str(tmp_path / seed)], env=env))
    assert [p.wait() for p in procs] == [0, 0]
    for name in ("corpus.tsv", "segments.tsv", "report.html"):
        assert (tmp_path / "0" / name).read_bytes() == (tmp_path / "4242" / name).read_bytes(), name
    assert len((tmp_path / "0" / "corpus.tsv").read_bytes().splitlines()) > 3


def test_the_report_carries_the_config_signature():
    config = Config(align=AlignConfig(min_score=0.37))
    assert config.signature() != Config().signature()
    rep = build_report([], config=config)
    assert rep["config_signature"] == config.signature()
    assert config.signature() in render_markdown(rep)
    assert config.signature() in render_html(rep, [], config.align.min_score)
