"""Incremental reprocessing: what a rerun recomputes after each kind of change.

``written.from_cache`` counts, per stage, the documents whose output was reused
(from a Cached batch task or from the per-document store); ``written.tasks``
counts the batch tasks by final state.
"""
import os

import pytest

from aligners.cache import batching
from aligners.cache import store as doccache
from aligners.config import AlignConfig, Config, DecodeConfig, TextConfig

# Three small pairs. Only "b" has a half-width comma between Chinese characters, which
# the halfwidth-punct-zh rule changes; disabling that rule changes b's segments only.
DOCS = {
    "a": ("今天天气很好。我们去公园散步。", "The weather is fine today. We go for a walk in the park."),
    "b": ("他买了三本书,两支笔。书很便宜。", "He bought three books and two pens. The books were cheap."),
    "c": ("山上有一座小庙。庙里住着一个老和尚。", "There is a small temple on the hill. An old monk lives in it."),
}


@pytest.fixture
def corpus(pair_folder):
    folder = pair_folder(DOCS)
    return folder


def run(folder, out, config=None):
    from flows.pipeline import run_flow

    return run_flow([str(folder)], str(out), config, batch_size=2)


def test_each_change_recomputes_what_depends_on_it_and_prune_keeps_what_the_kept_run_needs(
        prefect_harness, corpus, tmp_path):
    out = tmp_path / "out"
    first = run(corpus, out)
    assert first.from_cache == {"segment": 0, "align": 0}
    assert first.report["timings"]["align (sum over documents)"] > 0
    corpus1 = (out / "corpus.tsv").read_bytes()
    n_batches = first.batches
    assert n_batches >= 2

    again = run(corpus, out)  # nothing changed: every batch task Cached
    assert again.from_cache == {"segment": 3, "align": 3}
    assert again.tasks == {"segment": {"Cached": n_batches, "Completed": 0},
                              "align": {"Cached": n_batches, "Completed": 0}}
    assert (out / "corpus.tsv").read_bytes() == corpus1
    # a rerun's timings are this run's (nothing segmented or aligned), not the cached ones
    assert again.report["timings"]["segment (sum over documents)"] == 0
    assert again.report["timings"]["align (sum over documents)"] == 0

    # one document edited: its batch runs again, and recomputes that document only
    (corpus / "c.en.txt").write_text(DOCS["c"][1] + " He is kind.\n", encoding="utf-8")
    edited = run(corpus, out)
    assert edited.from_cache == {"segment": 2, "align": 2}
    assert edited.tasks["segment"]["Completed"] == 1 and edited.tasks["align"]["Completed"] == 1
    assert "He is kind." in (out / "segments.tsv").read_text(encoding="utf-8")

    # align config: re-align everything (this run's seconds), segment nothing
    aligned = run(corpus, out, Config(align=AlignConfig(min_score=0.25)))
    assert aligned.from_cache == {"segment": 3, "align": 0}
    assert aligned.report["timings"]["segment (sum over documents)"] == 0
    assert aligned.report["timings"]["align (sum over documents)"] > 0

    # a normalisation rule switched off: re-segment everything, re-align only the
    # document whose segments changed
    no_rule = Config(text=TextConfig(disabled_rules=("halfwidth-punct-zh",)))
    rule = run(corpus, out, no_rule)
    assert rule.from_cache == {"segment": 0, "align": 2}
    segments = (out / "segments.tsv").read_text(encoding="utf-8")
    assert "三本书,两支笔" in segments  # the comma is left half-width now

    # decode config: re-segment everything; the segments are the same, so no re-alignment
    decode_config = Config(decode=DecodeConfig(to_simplified=True),
                           text=TextConfig(disabled_rules=("halfwidth-punct-zh",)))
    decode = run(corpus, out, decode_config)
    assert decode.from_cache == {"segment": 0, "align": 3}

    # prune down to the last run: the other runs' entries go, the last run's stay, so
    # running it again computes nothing
    cache = out / ".cache"
    before = sum(len(files) for _, _, files in os.walk(cache))
    removed_runs, stats = doccache.prune_outputs(str(out), keep=1)
    assert len(removed_runs) == 5 and os.listdir(out / "runs") == [decode.run_id]
    assert stats["removed"] > 0 and stats["kept"] + stats["removed"] == before
    rerun = run(corpus, out, decode_config)
    assert rerun.from_cache == {"segment": 3, "align": 3}
    assert rerun.tasks["align"]["Completed"] == 0


def test_prune_cache_keeps_everything_when_a_run_has_no_manifest(tmp_path):
    out = tmp_path / "out"
    (out / "runs" / "old").mkdir(parents=True)
    store = doccache.DocStore(str(out / ".cache"))
    store.put("ab" * 32, [1, 2])
    assert doccache.prune_cache(str(out))["skipped"]
    assert store.get("ab" * 32) == (True, [1, 2])


def test_content_hash_ignores_timings_and_sees_text():
    from aligners.types import Decoded, Document, DocumentResult

    doc = Document("d", "mixed", (Decoded("p", "中文。", "utf-8"),))
    other = Document("d", "mixed", (Decoded("p", "中文!", "utf-8"),))
    assert doccache.content_hash("k", doc) != doccache.content_hash("k", other)
    assert doccache.content_hash("k", doc) != doccache.content_hash("k2", doc)
    r1 = DocumentResult("d", "mixed", (), timings={"align": 1.0})
    r2 = DocumentResult("d", "mixed", (), timings={"align": 2.0})
    assert doccache.content_hash(r1) == doccache.content_hash(r2)


def test_doc_store_survives_a_torn_entry(tmp_path):
    store = doccache.DocStore(str(tmp_path))
    key = "cd" * 32
    with open(store.path(key), "wb") as fh:
        fh.write(b"\x80\x05truncated")
    assert store.get(key) == (False, None)
    results, fresh = doccache.cached_map([3], [key], lambda x: x * 2, store)
    assert results == [6] and fresh == [True] and store.get(key) == (True, 6)
    assert doccache.cached_map([3], [key], lambda x: x * 3, store) == ([6], [False])


def test_batches_are_ordered_bounded_and_local_to_a_change():
    ids = [f"doc{i:03d}" for i in range(200)]
    batches = batching.make_batches(ids, 8, key=str)
    assert [i for b in batches for i in b] == ids
    assert max(len(b) for b in batches) <= 16
    assert 8 <= len(batches) <= 60
    # inserting a document changes at most the batch it lands in and the next one
    more = sorted(ids + ["doc100a"])
    after = batching.make_batches(more, 8, key=str)
    changed = [b for b in after if b not in batches]
    assert 1 <= len(changed) <= 2
    assert batching.make_batches(ids[:3], 1, key=str) == [[x] for x in ids[:3]]


def test_batch_size_follows_overhead_and_keeps_every_worker_busy():
    assert batching.choose_batch_size(10_000, 1, "thread") == batching.target_batch("thread")
    assert batching.target_batch("dask") > batching.target_batch("thread")  # Dask tasks cost more
    assert batching.choose_batch_size(300, 2, "dask") == 75  # 2 workers: 4 batches
    assert batching.choose_batch_size(10, 2, "dask") == 3
    assert batching.choose_batch_size(0, 2) == 1
    # threads feeding worker processes: a task costs CPU taken from them, so fewer, larger batches
    assert batching.target_batch("pool") > batching.target_batch("thread")
    assert batching.choose_batch_size(258, 2, "pool") == 65  # still two batches per worker process
