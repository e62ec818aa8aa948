"""Per-document stage results kept between runs, keyed by content.

The flow's tasks take batches of documents and Prefect caches a whole batch; this
store keeps each document's stage output as well, so when one document of a batch
changes, the batch task runs again but recomputes that document only.

A document's key (``document_key``) hashes the stage key (config sections + library
code, see ``aligners.cache.keys``) and the stage's actual input: the decoded
document for ``segment``, the prepared document and its segments for ``align``. A
rule change that alters the segments of a few documents therefore re-aligns only
those. The paths the files were given by are left out: ``in``, ``./in`` and an
absolute path to the same files share their entries.

Entries are pickles written by the flow itself into ``OUT/.cache`` as ``KEY.pkl``
(the same trust as Prefect's own pickled results beside them, named ``KEY``), each
written atomically, so the folder's entries count finished documents and batches.
Every run lists the keys it used in ``runs/<id>/cache-keys.txt``; ``prune_cache``
deletes entries no remaining run lists.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import pickle
from typing import Callable, Sequence

from aligners.io.tsv import atomic_file

MANIFEST = "cache-keys.txt"
_log = logging.getLogger("bitextflow.cache")


_ALL_COMPARED: dict[type, bool] = {}


def _plain(obj):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        if cls not in _ALL_COMPARED:
            _ALL_COMPARED[cls] = all(f.compare for f in dataclasses.fields(obj))
        if _ALL_COMPARED[cls]:  # repr shows every field (the types in aligners.types hold str/int/tuple): faster
            return repr(obj)
        return {"__type__": cls.__name__, **{f.name: _plain(getattr(obj, f.name))
                                             for f in dataclasses.fields(obj) if f.compare}}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    return obj


def content_hash(*parts) -> str:
    """A stable hash of strings and (nested) frozen dataclasses; fields with compare=False are left out."""
    blob = json.dumps(_plain(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def document_key(stage_key: str, doc, *parts) -> str:
    """A ``Document``'s key for a stage: its doc_id, kind and decoded content (text,
    encoding, notes), the stage key and ``parts`` (e.g. its segments); not its paths."""
    sources = tuple(dataclasses.replace(s, path="") for s in doc.sources)
    return content_hash(stage_key, dataclasses.replace(doc, sources=sources), *parts)


# An entry is this tag, the SHA-256 of the pickle, then the pickle: a flipped bit anywhere
# fails the check instead of being served as a result.
_ENTRY_TAG = b"bitextflow-cache-1\n"
_DIGEST = hashlib.sha256().digest_size


class DocStore:
    """A folder of pickled values named by key, each stored with its checksum."""

    def __init__(self, folder: str):
        self.folder = folder

    def path(self, key: str) -> str:
        return os.path.join(self.folder, key + ".pkl")

    def get(self, key: str):
        """(True, value) when the key is stored and verifies, else (False, None).

        An entry that exists but does not verify or load (a bad byte, a torn write, an
        entry of an older version, any exception while unpickling) is a miss, with a
        warning: the caller recomputes it and ``put`` replaces it."""
        try:
            with open(self.path(key), "rb") as fh:
                blob = fh.read()
        except FileNotFoundError:
            return False, None
        except OSError as exc:
            _log.warning("cache entry %s unreadable (%s): recomputing it", key[:12], exc.strerror)
            return False, None
        head, digest, body = blob[:len(_ENTRY_TAG)], blob[len(_ENTRY_TAG):len(_ENTRY_TAG) + _DIGEST], \
            blob[len(_ENTRY_TAG) + _DIGEST:]
        if head != _ENTRY_TAG or hashlib.sha256(body).digest() != digest:
            _log.warning("cache entry %s fails its checksum: recomputing it", key[:12])
            return False, None
        try:
            return True, pickle.loads(body)
        except Exception as exc:  # noqa: BLE001 - whatever a damaged or foreign pickle raises, recompute
            _log.warning("cache entry %s does not load (%s): recomputing it", key[:12], type(exc).__name__)
            return False, None

    def put(self, key: str, value) -> bytes:
        """Store ``value``; returns its pickle."""
        path = self.path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with atomic_file(path, "wb") as fh:
            fh.write(_ENTRY_TAG + hashlib.sha256(body).digest() + body)
        return body


def cached_map(items: Sequence, keys: Sequence[str], compute: Callable, store: DocStore,
               pool=None) -> tuple[list, list[bool]]:
    """``compute(item)`` for each item whose key is not in ``store``; returns the results and,
    for each, whether it was computed now (True) or read from the store (False).

    ``pool`` (an ``aligners.workers.DocumentPool``): compute in its worker processes
    when two or more items are missing (``compute`` must then pickle). Each result is
    stored as soon as it arrives, so an interrupted batch keeps what it finished.
    """
    results, fresh, _ = cached_map_also(items, keys, compute, None, store, pool)
    return results, fresh


def cached_map_also(items: Sequence, keys: Sequence[str], compute: Callable, also: Callable | None,
                    store: DocStore, pool=None) -> tuple[list, list[bool], list]:
    """``cached_map``, and ``also(result)`` for each result (None when ``also`` is None): for the
    results computed now, in the process that computed them (a worker's CPU, not this
    process's), for those read from the store, here. Only the results are stored; a
    worker process stores its results itself and sends back their pickles, so that each
    result is pickled once."""
    results, fresh, missing = [], [], []
    for i, (item, key) in enumerate(zip(items, keys)):
        hit, value = store.get(key)
        if not hit:
            missing.append(i)
        results.append(value)
        fresh.append(not hit)
    extras = [None] * len(items)
    if pool is not None and len(missing) > 1:
        job = functools.partial(_compute_and_store, compute, also, store.folder)
        for i, (body, extra) in zip(missing, pool.map(job, [(keys[i], items[i]) for i in missing])):
            results[i], extras[i] = pickle.loads(body), extra
    else:
        for i in missing:
            results[i] = compute(items[i])
            if also is not None:
                extras[i] = also(results[i])
            store.put(keys[i], results[i])
    if also is not None:
        for i, is_fresh in enumerate(fresh):
            if not is_fresh:
                extras[i] = also(results[i])
    return results, fresh, extras


def _compute_and_store(compute: Callable, also: Callable | None, folder: str, keyed: tuple) -> tuple[bytes, object]:
    """A pool's job: ``compute`` the item of a (key, item) pair and store it under the key;
    (the result's pickle, ``also(result)``)."""
    key, item = keyed
    value = compute(item)
    return DocStore(folder).put(key, value), also(value) if also is not None else None


def write_manifest(run_dir: str, keys) -> None:
    from aligners.io.tsv import atomic_write_text

    atomic_write_text(os.path.join(run_dir, MANIFEST), [k + "\n" for k in sorted(set(keys))])


def prune_cache(out: str, cache_dir: str | None = None) -> dict:
    """Delete cache files that no run left in ``OUT/runs`` lists in its manifest.

    Returns {"removed": n, "kept": n, "skipped": reason or ""}. If some remaining run
    has no manifest (made by an older version), nothing is deleted: its needs are unknown.
    """
    cache_dir = cache_dir or os.path.join(out, ".cache")
    runs_dir = os.path.join(out, "runs")
    needed: set[str] = set()
    from aligners.io.runs import list_runs

    run_ids = list_runs(out)  # finished runs only: an unfinished one has no manifest yet
    for run_id in run_ids:
        manifest = os.path.join(runs_dir, run_id, MANIFEST)
        if not os.path.isfile(manifest):
            return {"removed": 0, "kept": 0, "skipped": f"run {run_id} has no {MANIFEST}"}
        with open(manifest, encoding="utf-8") as fh:
            needed.update(line.strip() for line in fh if line.strip())
    removed = kept = 0
    if not os.path.isdir(cache_dir):
        return {"removed": 0, "kept": 0, "skipped": ""}
    for dirpath, _, filenames in os.walk(cache_dir):
        for name in filenames:
            key = name[:-4] if name.endswith(".pkl") else name
            if key in needed:
                kept += 1
                continue
            os.unlink(os.path.join(dirpath, name))
            removed += 1
    return {"removed": removed, "kept": kept, "skipped": ""}


def prune_outputs(out: str, keep: int) -> tuple[list[str], dict]:
    """``runs.prune`` (all but the ``keep`` newest runs, never ``latest``), then ``prune_cache``.

    Raises ``runs.OutputBusy`` while a run works in ``out``.
    """
    from aligners.io.runs import exclusive, prune

    with exclusive(out, "prune"):  # refuses while a run works in OUT (its new entries are in no manifest yet)
        removed = prune(out, keep)
        return removed, prune_cache(out)
