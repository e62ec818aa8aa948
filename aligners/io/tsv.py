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


def _text(value) -> str:
    """A field's text before the separators are taken out."""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


def _printable(text: str) -> str:
    # every character of _BREAKS is unprintable, and most fields are printable: checked in C
    return text if text.isprintable() else _BREAKS.sub(" ", text)


def tsv_field(value) -> str:
    return _printable(_text(value))


def tsv_lines(columns: tuple[str, ...], records: Iterable[tuple]) -> Iterable[str]:
    yield "\t".join(columns) + "\n"
    for rec in records:
        fields = [v if v.__class__ is str else _text(v) for v in rec]
        if not "".join(fields).isprintable():  # printable as a whole: every field is (one check in C)
            fields = [_printable(f) for f in fields]
        yield "\t".join(fields) + "\n"


def corpus_records(results: Iterable[DocumentResult]) -> Iterable[tuple]:
    for res in results:
        for r in res.rows:
            yield (r.doc_id, r.zh, r.en, r.score, r.zh_ids, r.en_ids)


REJECTED = "file rejected: "  # reason prefix of a rejected file's line (seg_id -1, the path as text)


def segment_records(results: Iterable[DocumentResult]) -> Iterable[tuple]:
    """Every segment of every document, plus one line per rejected file (seg_id -1).

    ``bead`` numbers the document's beads in alignment order (-1: in none), ``score``
    is that bead's score, paired or not.
    """
    for res in results:
        for i, src in enumerate(res.sources):
            if src.error:
                yield (res.doc_id, -1, i, -1, "", DROPPED, REJECTED + src.error, -1, "", "", "", src.path)
        bead_of = res.bead_of()
        for s in res.segments:
            k = bead_of.get(s.seg_id, -1)
            yield (s.doc_id, s.seg_id, s.source, s.paragraph, s.lang, s.status, s.reason, k,
                   "" if k < 0 else res.beads[k].score, s.flags, s.rules, s.text)


def read_tsv(path: str, columns: tuple[str, ...]) -> list[dict]:
    """The records of a TSV file written here, as dicts; checks the header."""
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header[: len(columns)]) != columns:
            raise ValueError(f"{path}: unexpected header {header!r} (expected {', '.join(columns)})")
        return [dict(zip(header, row)) for row in reader]


def results_from_records(segments: list[dict], corpus: list[dict] = ()) -> list[DocumentResult]:
    """Documents back from segments.tsv (and corpus.tsv) records: segments, beads and rows,
    and the rejected sources. What the files do not hold (raw text, source paths of read
    files, the threshold) is left empty."""
    from aligners.types import AlignedBead, Decoded, Row, Segment

    def ids(text: str) -> tuple[int, ...]:
        return tuple(int(i) for i in text.split(",")) if text else ()

    by_doc: dict[str, list[dict]] = {}
    for rec in segments:
        by_doc.setdefault(rec["doc_id"], []).append(rec)
    rows_by_doc: dict[str, list[Row]] = {}
    for rec in corpus:
        rows_by_doc.setdefault(rec["doc_id"], []).append(
            Row(rec["doc_id"], rec["zh"], rec["en"], float(rec["score"]), ids(rec["zh_ids"]), ids(rec["en_ids"])))
    out = []
    for doc_id, recs in by_doc.items():
        n_sources = max(int(r["source"]) for r in recs) + 1
        sources = [Decoded("", "", "") for _ in range(n_sources)]
        segs, beads = [], {}
        for r in recs:
            if r["seg_id"] == "-1":
                error = r["reason"][len(REJECTED):] if r["reason"].startswith(REJECTED) else r["reason"]
                sources[int(r["source"])] = Decoded(r["text"], "", "", error=error)
                continue
            seg = Segment(doc_id, int(r["seg_id"]), r["lang"], r["text"], source=int(r["source"]),
                          paragraph=int(r["paragraph"]), status=r["status"], reason=r["reason"],
                          flags=tuple(r["flags"].split(",")) if r["flags"] else (),
                          rules=tuple(r["rules"].split(",")) if r["rules"] else ())
            segs.append(seg)
            if int(r["bead"]) >= 0:
                beads.setdefault(int(r["bead"]), (float(r["score"]), []))[1].append(seg)
        decided = []
        for k in sorted(beads):
            score, members = beads[k]
            decided.append(AlignedBead(tuple(m.seg_id for m in members if m.lang == "zh"),
                                       tuple(m.seg_id for m in members if m.lang == "en"),
                                       score, members[0].status, members[0].reason))
        kind = "pair" if n_sources == 2 else "mixed"
        out.append(DocumentResult(doc_id, kind, tuple(sources), tuple(segs), tuple(rows_by_doc.get(doc_id, ())),
                                  tuple(decided)))
    return out


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
