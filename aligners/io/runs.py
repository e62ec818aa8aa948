"""Versioned run folders: ``OUT/runs/<run id>/`` and an atomically switched ``OUT/latest``.

A run writes into its own new folder, then publishes: ``latest`` (a relative
symlink) is replaced in one rename, and the top-level ``OUT/corpus.tsv`` etc. are
hard links to the run's files, each also replaced in one rename. A reader sees
either the old corpus or the new one, never a mixture or a partial file.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil

PUBLISHED = ("corpus.tsv", "segments.tsv", "report.json", "report.md", "report.html",
             # exports, when asked for (aligners.corpus.export.FORMATS)
             "corpus.tmx", "corpus.zh", "corpus.en", "corpus.moses.json", "corpus.jsonl", "corpus.parquet")


def new_run_dir(out: str, now: _dt.datetime | None = None) -> tuple[str, str]:
    now = now or _dt.datetime.now(_dt.timezone.utc)
    base = now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"
    runs = os.path.join(out, "runs")
    os.makedirs(runs, exist_ok=True)
    run_id, n = base, 1
    while True:
        path = os.path.join(runs, run_id)
        try:
            os.mkdir(path)
            return run_id, path
        except FileExistsError:
            n += 1
            run_id = f"{base}-{n}"


def publish(out: str, run_id: str) -> None:
    run_dir = os.path.join(out, "runs", run_id)
    tmp_link = os.path.join(out, f".latest-{run_id}")
    if os.path.lexists(tmp_link):
        os.unlink(tmp_link)
    os.symlink(os.path.join("runs", run_id), tmp_link)
    os.replace(tmp_link, os.path.join(out, "latest"))
    for name in PUBLISHED:
        src = os.path.join(run_dir, name)
        if not os.path.exists(src):  # not made by this run: an older run's copy would mislead
            if os.path.lexists(os.path.join(out, name)):
                os.unlink(os.path.join(out, name))
            continue
        tmp = os.path.join(out, f".{name}.{run_id}.tmp")
        if os.path.lexists(tmp):
            os.unlink(tmp)
        try:
            os.link(src, tmp)
        except OSError:  # file systems without hard links
            shutil.copyfile(src, tmp)
        os.replace(tmp, os.path.join(out, name))


def latest_run(out: str) -> str | None:
    link = os.path.join(out, "latest")
    if not os.path.islink(link):
        return None
    return os.path.basename(os.readlink(link))


def list_runs(out: str) -> list[str]:
    runs = os.path.join(out, "runs")
    if not os.path.isdir(runs):
        return []
    return sorted(d for d in os.listdir(runs) if os.path.isdir(os.path.join(runs, d)))


def prune(out: str, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest runs (never the one ``latest`` points to)."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    runs = list_runs(out)
    current = latest_run(out)
    doomed = [r for r in runs[:-keep] if r != current]
    for run_id in doomed:
        shutil.rmtree(os.path.join(out, "runs", run_id))
    return doomed
