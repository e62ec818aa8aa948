"""`prune`: old run folders and the cache entries no remaining run lists are deleted from disk."""
import os

from aligners.cache import store as doccache
from aligners.io import runs


def make_run(out, keys, publish=True):
    run_id, run_dir = runs.new_run_dir(str(out))
    (open(os.path.join(run_dir, "corpus.tsv"), "w")).close()
    doccache.write_manifest(run_dir, keys)
    if publish:
        runs.publish(str(out), run_id)
    return run_id


def files(folder) -> set[str]:
    return {os.path.relpath(os.path.join(d, f), folder) for d, _, names in os.walk(folder) for f in names}


def test_prune_deletes_old_runs_and_unneeded_cache_files(tmp_path):
    out = tmp_path / "out"
    store = doccache.DocStore(str(out / ".cache"))
    old, shared, new = "a" * 64, "b" * 64, "c" * 64
    for key in (old, shared, new):
        store.put(key, key)
    (out / ".cache" / old).write_bytes(b"a Prefect batch result")  # named KEY, no .pkl
    first = make_run(out, [old, shared])
    second = make_run(out, [shared, new])

    removed, stats = doccache.prune_outputs(str(out), keep=1)

    assert removed == [first] and os.listdir(out / "runs") == [second]
    assert files(out / ".cache") == {shared + ".pkl", new + ".pkl"}
    assert stats == {"removed": 2, "kept": 2, "skipped": ""}
    assert store.get(shared) == (True, shared)


def test_prune_never_deletes_the_published_run(tmp_path):
    out = tmp_path / "out"
    published = make_run(out, [])
    later = make_run(out, [], publish=False)  # newer, but not what latest points to
    removed, _ = doccache.prune_outputs(str(out), keep=1)
    assert removed == [] and sorted(os.listdir(out / "runs")) == sorted([published, later])
