"""The corpus in other formats: TMX, Moses, JSON lines, Parquet.

Every format is written from the same rows as corpus.tsv, in the same order, each
file atomically. ``export_run`` writes one format from a finished run's
corpus.tsv and report.json, without recomputing anything.
"""
from __future__ import annotations

import csv
import json
import os
from typing import Iterable

from aligners.corpus.moses import moses_lines
from aligners.corpus.records import jsonl_lines, write_parquet
from aligners.corpus.tmx import tmx_lines
from aligners.io.tsv import CORPUS_COLUMNS, atomic_file, atomic_write_text
from aligners.types import Row

# format -> the files it writes in a run folder
FORMATS = {
    "tmx": ("corpus.tmx",),
    "moses": ("corpus.zh", "corpus.en", "corpus.moses.json"),
    "jsonl": ("corpus.jsonl",),
    "parquet": ("corpus.parquet",),
}
EXPORT_FILES = tuple(name for names in FORMATS.values() for name in names)


def moses_paths(prefix: str) -> tuple[str, str, str]:
    """``PREFIX.zh``, ``PREFIX.en`` and the provenance sidecar ``PREFIX.moses.json``."""
    for ext in (".zh", ".en"):
        if prefix.endswith(ext):
            prefix = prefix[: -len(ext)]
    return f"{prefix}.zh", f"{prefix}.en", f"{prefix}.moses.json"


def write_format(fmt: str, rows: list[Row], target: str, provenance: dict | None = None) -> list[str]:
    """Write ``rows`` as ``fmt`` to ``target`` (for moses: a prefix); return the paths written."""
    provenance = provenance or {}
    if fmt == "tmx":
        atomic_write_text(target, tmx_lines(rows, provenance))
        return [target]
    if fmt == "jsonl":
        atomic_write_text(target, jsonl_lines(rows))
        return [target]
    if fmt == "parquet":
        with atomic_file(target, "wb") as fh:
            write_parquet(rows, fh, provenance)
        return [target]
    if fmt == "moses":
        zh, en, sidecar = moses_paths(target)
        atomic_write_text(zh, moses_lines(rows, "zh"))
        atomic_write_text(en, moses_lines(rows, "en"))
        meta = {"lines": len(rows), "zh": os.path.basename(zh), "en": os.path.basename(en), "provenance": provenance}
        atomic_write_text(sidecar, [json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"])
        return [zh, en, sidecar]
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def write_exports(rows: list[Row], folder: str, formats: Iterable[str], provenance: dict | None = None) -> list[str]:
    """The chosen formats in ``folder`` under their run-folder names (``FORMATS``)."""
    paths = []
    for fmt in dict.fromkeys(formats):  # each once, in the order given
        paths += write_format(fmt, rows, os.path.join(folder, FORMATS[fmt][0]), provenance)
    return paths


def read_corpus(path: str) -> list[Row]:
    """The rows of a corpus.tsv (as ``aligners.io.tsv`` writes it)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if tuple(header or ()) != CORPUS_COLUMNS:
            raise ValueError(f"{path} is not a corpus.tsv (header {header})")
        for doc_id, zh, en, score, zh_ids, en_ids in reader:
            rows.append(Row(doc_id, zh, en, float(score), _ids(zh_ids), _ids(en_ids)))
    return rows


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",") if x)


def run_folder(out: str) -> str:
    """The folder of the newest run in ``out`` (``out/latest``), or ``out`` itself when it
    holds a corpus.tsv but no runs (a run folder given directly)."""
    latest = os.path.join(out, "latest")
    if os.path.isdir(latest):
        return os.path.realpath(latest)
    return out


def export_run(out: str, fmt: str, to: str, min_score: float | None = None) -> tuple[list[str], int]:
    """Write one format from the finished run in ``out``; returns (paths, pairs written)."""
    folder = run_folder(out)
    rows = read_corpus(os.path.join(folder, "corpus.tsv"))
    if min_score is not None:
        rows = [r for r in rows if r.score >= min_score]
    provenance = {}
    report = os.path.join(folder, "report.json")
    if os.path.exists(report):
        with open(report, encoding="utf-8") as fh:
            provenance = json.load(fh).get("provenance", {})
    return write_format(fmt, rows, to, provenance), len(rows)
