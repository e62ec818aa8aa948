"""What a document's cache key covers: its content, doc_id and the config, never how its path was typed.
(That a rerun's timings are this run's, not the cached ones: tests/test_incremental.py.)"""

DOCS = {
    "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
    "b": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
}


def run(inputs, out):
    from flows.pipeline import run_flow

    return run_flow(inputs, out)


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
