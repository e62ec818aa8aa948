"""What a document's cache key covers: its content, doc_id and the config, never how its path was typed;
and a rerun's timings are this run's, not the cached ones."""
import os

from aligners.config import AlignConfig, Config

DOCS = {
    "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
    "b": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
}


def run(inputs, out, config=None):
    from flows.pipeline import run_flow

    return run_flow(inputs, out, config)


def test_the_same_files_under_other_spellings_come_from_the_cache(prefect_harness, pair_folder, tmp_path,
                                                                 monkeypatch):
    pair_folder(DOCS)
    monkeypatch.chdir(tmp_path)
    out = str(tmp_path / "out")
    first = run(["in"], out)
    assert first.from_cache == {"segment": 0, "align": 0}
    for spelling in ("./in", str(tmp_path / "in"), "in/"):
        again = run([spelling], out)
        assert again.from_cache == {"segment": 2, "align": 2}, spelling
        # messages name the files as given in this run
        paths = [s["path"] for d in again.report["per_document"] for s in d["sources"]]
        assert all(p.startswith(spelling.rstrip("/")) for p in paths), (spelling, paths)


def test_a_rerun_reports_its_own_stage_times(prefect_harness, pair_folder, tmp_path):
    folder = str(pair_folder(DOCS))
    out = str(tmp_path / "out")
    first = run([folder], out)
    timings = first.report["timings"]
    assert timings["align (sum over documents)"] > 0
    again = run([folder], out)  # nothing changed: nothing segmented or aligned in this run
    assert again.from_cache == {"segment": 2, "align": 2}
    assert again.report["timings"]["segment (sum over documents)"] == 0
    assert again.report["timings"]["align (sum over documents)"] == 0
    # a changed align setting re-aligns both documents, from cached segments
    realigned = run([folder], out, Config(align=AlignConfig(min_score=0.3)))
    assert realigned.report["timings"]["segment (sum over documents)"] == 0
    assert realigned.report["timings"]["align (sum over documents)"] > 0
