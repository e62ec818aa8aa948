"""process_corpus: the whole job without Prefect, and the same files as the flow."""
import json
import subprocess
import sys

from aligners.job import process_corpus
from aligners.types import NO_ENGLISH, RunOutputs

DOCS = {
    "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
    "b": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
}


def test_process_corpus_writes_and_publishes_a_run(pair_folder, tmp_path):
    folder = pair_folder(DOCS)
    (folder / "alone.txt").write_text("只有中文的一句话。\n", encoding="utf-8")
    written = process_corpus([str(folder)], str(tmp_path / "out"))
    assert isinstance(written, RunOutputs)
    out = tmp_path / "out"
    for name in ("corpus.tsv", "segments.tsv", "report.json", "report.md", "report.html"):
        assert (out / name).read_bytes() == (out / "latest" / name).read_bytes() == open(written.path(name), "rb").read()
    assert (written.documents, written.rejected) == (3, 0)
    assert written.pairs >= 2 and written.pairs == len((out / "corpus.tsv").read_text(encoding="utf-8").splitlines()) - 1
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report == json.loads(json.dumps(written.report)) and written.from_cache == {"segment": 0, "align": 0}
    assert report["unpaired_by_reason"][NO_ENGLISH] == 1  # alone.txt
    assert written.unpaired == sum(report["unpaired_by_reason"].values())
    assert report["timings"]["align (sum over documents)"] > 0


def test_process_corpus_does_not_import_prefect(pair_folder, tmp_path):
    folder = pair_folder(DOCS)
    code = ("import sys; from aligners import process_corpus; "
            f"process_corpus([{str(folder)!r}], {str(tmp_path / 'out')!r}); "
            "assert not any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules), 'prefect imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
