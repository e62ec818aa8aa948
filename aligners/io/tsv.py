"""Rows and segments to TSV, written atomically.

TSV here means: UTF-8, ``\\n`` line ends, a header row, no quoting, and no tab,
CR, LF (or other line separator) inside a field, so the files load with
``pandas.read_csv(p, sep="\\t", quoting=csv.QUOTE_NONE, keep_default_na=False)``,
with the ``csv`` module, and with ``cut -f``.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from typing import Iterable

import regex

from aligners.types import DROPPED, DocumentResult

CORPUS_COLUMNS = ("doc_id", "zh", "en", "score", "zh_ids", "en_ids")
SEGMENT_COLUMNS = ("doc_id", "seg_id", "source", "paragraph", "lang", "status", "reason", "bead", "score",
                   "flags", "rules", "text")

# Everything a TSV reader might take as a field or record separator.
_BREAKS = regex.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def tsv_field(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (tuple, list)):
        value = ",".join(str(v) for v in value)
    return _BREAKS.sub(" ", str(value))


def tsv_lines(columns: tuple[str, ...], records: Iterable[tuple]) -> Iterable[str]:
    yield "\t".join(columns) + "\n"
    for rec in records:
        yield "\t".join(tsv_field(v) for v in rec) + "\n"


def corpus_records(results: Iterable[DocumentResult]) -> Iterable[tuple]:
    for res in results:
        for r in res.rows:
            yield (r.doc_id, r.zh, r.en, r.score, r.zh_ids, r.en_ids)


def segment_records(results: Iterable[DocumentResult]) -> Iterable[tuple]:
    """Every segment of every document, plus one line per rejected file (seg_id -1)."""
    for res in results:
        for i, src in enumerate(res.sources):
            if src.error:
                yield (res.doc_id, -1, i, -1, "", DROPPED, f"file rejected: {src.error}", -1, "", "", "", src.path)
        for s in res.segments:
            yield (s.doc_id, s.seg_id, s.source, s.paragraph, s.lang, s.status, s.reason, s.bead,
                   "" if s.score is None else s.score, s.flags, s.rules, s.text)


@contextlib.contextmanager
def atomic_file(path: str, mode: str = "w"):
    """An open temporary file in ``path``'s folder, fsynced and renamed over ``path``
    when the block ends without an error, removed when it does not."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        text = "b" not in mode
        with os.fdopen(fd, mode, **({"encoding": "utf-8", "newline": "\n"} if text else {})) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        if isinstance(exc, OSError) and exc.filename is None:  # a failed write() names no file: say which
            exc.filename = path
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str, lines: Iterable[str]) -> None:
    """Write UTF-8 text to ``path`` atomically (temporary file, fsync, rename)."""
    with atomic_file(path) as fh:
        for line in lines:
            fh.write(line)


def write_tables(results: list[DocumentResult], folder: str) -> dict[str, str]:
    """corpus.tsv and segments.tsv in ``folder``; returns their paths."""
    paths = {"corpus": os.path.join(folder, "corpus.tsv"), "segments": os.path.join(folder, "segments.tsv")}
    atomic_write_text(paths["corpus"], tsv_lines(CORPUS_COLUMNS, corpus_records(results)))
    atomic_write_text(paths["segments"], tsv_lines(SEGMENT_COLUMNS, segment_records(results)))
    return paths
