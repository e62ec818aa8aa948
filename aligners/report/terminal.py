"""One document's alignment, side by side for a terminal (``bitextflow show DOC_ID``).

Reads OUT/corpus.tsv and OUT/segments.tsv back into the document's result (its
segments and its beads with their decisions, ``aligners.io.tsv.results_from_records``)
and lays out every bead as score | Chinese | English, with each unpaired or dropped
sentence on its own line in reading order, marked and with its reason. Widths
are display widths: a Chinese character takes two terminal columns.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import unicodedata
from dataclasses import dataclass

from aligners.io.tsv import CORPUS_COLUMNS, REJECTED, SEGMENT_COLUMNS, read_tsv, results_from_records
from aligners.pipeline import join_sentences
from aligners.types import DROPPED, PAIRED, UNPAIRED, DocumentResult, Segment, reason_text

SCORE_WIDTH = 6
MIN_COLUMN = 12


class UnknownDocument(LookupError):
    """No such doc_id in the output folder."""

    def __str__(self) -> str:  # LookupError/KeyError would show the repr of the message
        return str(self.args[0]) if self.args else ""


def char_width(ch: str) -> int:
    """Terminal columns of one character: 2 for wide/fullwidth, 0 for combining marks."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def _tokens(text: str) -> list[str]:
    """Wrapping units: a Latin word with the spaces after it, or one wide character.

    Closing punctuation sticks to the unit before it and opening punctuation to the
    unit after it, so no line starts with '。' or ends with '“' (kinsoku, simplified).
    """
    out: list[str] = []
    word, opening = "", ""
    for ch in text:
        if char_width(ch) == 2 or ch == " ":
            if ch == " ":
                out.append(opening + word + ch)
                word = opening = ""
                continue
            if word:
                out.append(opening + word)
                word = opening = ""
            cat = unicodedata.category(ch)
            if cat in ("Pe", "Pf", "Po") and out and not opening:
                out[-1] += ch
            elif cat in ("Ps", "Pi"):
                opening += ch
            else:
                out.append(opening + ch)
                opening = ""
        elif (not word and not opening and out and not out[-1].endswith(" ")
              and unicodedata.category(ch) in ("Pe", "Pf", "Po")):
            out[-1] += ch  # e.g. a narrow ” right after Chinese text
        elif not word and unicodedata.category(ch) in ("Ps", "Pi"):
            opening += ch
        else:
            word += ch
    if word or opening:
        out.append(opening + word)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap to ``width`` display columns; long words are cut."""
    width = max(width, 2)
    lines, line, used = [], "", 0
    for tok in _tokens(" ".join(text.split())):
        w = display_width(tok.rstrip(" "))
        if used + w > width and line:
            lines.append(line.rstrip(" "))
            line, used = "", 0
            tok = tok.lstrip(" ")
        while display_width(tok.rstrip(" ")) > width:  # a word wider than the column
            head, hw = "", 0
            for ch in tok:
                if hw + char_width(ch) > width:
                    break
                head += ch
                hw += char_width(ch)
            lines.append(head)
            tok = tok[len(head):]
        line += tok
        used += display_width(tok)
    if line.strip(" ") or not lines:
        lines.append(line.rstrip(" "))
    return lines


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


@dataclass(frozen=True)
class _Item:
    """One block of the listing: a pair, or a lone sentence on one side."""

    label: str  # score, or "unp"/"drop"
    zh: str = ""
    en: str = ""
    note: str = ""  # reason, shown under the text of a lone sentence


def _read_tsv(path: str, columns: tuple[str, ...]) -> list[dict]:
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} not found: run `bitextflow run --out {os.path.dirname(path) or '.'}` first")
    return read_tsv(path, columns)


def document_items(res: DocumentResult) -> list[_Item]:
    """The document in alignment order: one item per bead (paired, or scored below the
    threshold and shown with its score in parentheses), each lone sentence (no
    counterpart, dropped, another language) before the first bead that follows it on
    its own side; rejected files first."""
    items = [_Item("drop", zh="" if i == 1 else src.path, en=src.path if i == 1 else "", note=REJECTED + src.error)
             for i, src in enumerate(res.sources) if src.error]
    by_id = {s.seg_id: s for s in res.segments}
    in_bead = res.bead_of()
    loose: dict[str, list[Segment]] = {"zh": [], "en": []}
    for s in sorted(res.segments, key=lambda s: s.seg_id):
        if s.seg_id not in in_bead:
            loose[_side(s)].append(s)
    cursor = {"zh": 0, "en": 0}

    def take(lang: str, before: int) -> list[Segment]:
        queue, start = loose[lang], cursor[lang]
        while cursor[lang] < len(queue) and queue[cursor[lang]].seg_id < before:
            cursor[lang] += 1
        return queue[start:cursor[lang]]

    for b in res.beads:
        zh, en = [by_id[i] for i in b.zh], [by_id[j] for j in b.en]
        for lang, side in (("zh", zh), ("en", en)):
            if side:
                items.extend(_lone(s) for s in take(lang, side[0].seg_id))
        if zh and en:
            paired = b.status == PAIRED
            score = f"{b.score:.2f}"
            items.append(_Item(score if paired else f"({score})",
                               zh=join_sentences([s.text for s in zh], "zh"),
                               en=join_sentences([s.text for s in en], "en"),
                               note="" if paired else  # duplicate/filtered pairs say so
                               f"not paired: {reason_text(b.reason, b.threshold)}" if b.status == UNPAIRED
                               else f"{b.status}: {reason_text(b.reason)}"))
        else:
            items.extend(_lone(s) for s in zh + en)
    rest = sorted(loose["zh"][cursor["zh"]:] + loose["en"][cursor["en"]:], key=lambda s: s.seg_id)
    items.extend(_lone(s) for s in rest)
    return items


def _side(s: Segment) -> str:
    if s.lang in ("zh", "en"):
        return s.lang
    return "en" if s.source == 1 else "zh"


def _lone(s: Segment) -> _Item:
    label = "drop" if s.status == DROPPED else "unp"
    text = ("" if s.lang in ("zh", "en") else f"[{s.lang}] ") + s.text
    zh = _side(s) == "zh"
    return _Item(label, zh=text if zh else "", en="" if zh else text, note=reason_text(s.reason))


def render_items(title: str, items: list[_Item], width: int) -> str:
    col = max((width - SCORE_WIDTH - 6) // 2, MIN_COLUMN)
    rule = "─" * SCORE_WIDTH + "─┼─" + "─" * col + "─┼─" + "─" * col
    out = [title, pad("score", SCORE_WIDTH) + " │ " + pad("中文", col) + " │ English", rule]
    for it in items:
        left = wrap(it.zh, col) if it.zh else []
        right = wrap(it.en, col) if it.en else []
        if it.note:
            (left if it.zh else right).extend(wrap("↳ " + it.note, col))
        for k in range(max(len(left), len(right), 1)):
            label = it.label if k == 0 else ""
            l_text = left[k] if k < len(left) else ""
            r_text = right[k] if k < len(right) else ""
            out.append((pad(label.rjust(5), SCORE_WIDTH) + " │ " + pad(l_text, col) + " │ " + r_text).rstrip())
        out.append(rule)
    return "\n".join(out) + "\n"


def show_document(out_dir: str, doc_id: str, width: int | None = None) -> str:
    """The document's pairs side by side, with scores; unpaired ('unp') and dropped
    ('drop') sentences in their place, with their reasons.

    ``width`` defaults to the terminal's width. Raises FileNotFoundError when the
    TSV files are missing and UnknownDocument (a LookupError) for an unknown doc_id.
    """
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    corpus = _read_tsv(os.path.join(out_dir, "corpus.tsv"), CORPUS_COLUMNS)
    segments = _read_tsv(os.path.join(out_dir, "segments.tsv"), SEGMENT_COLUMNS)
    doc_corpus = [r for r in corpus if r["doc_id"] == doc_id]
    doc_segs = [s for s in segments if s["doc_id"] == doc_id]
    if not doc_corpus and not doc_segs:
        known = list(dict.fromkeys(s["doc_id"] for s in segments))
        listed = ", ".join(known[:5]) + (f" (and {len(known) - 5} more)" if len(known) > 5 else "")
        raise UnknownDocument(f"no document {doc_id!r} in {out_dir}; known doc_ids: {listed or 'none'}")
    status = {}
    for s in doc_segs:
        status[s["status"]] = status.get(s["status"], 0) + 1
    title = (f"{doc_id}: {len(doc_corpus)} pairs, {status.get('unpaired', 0)} unpaired, "
             f"{status.get('dropped', 0)} dropped segments")
    found = results_from_records(doc_segs, doc_corpus)
    res = found[0] if found else DocumentResult(doc_id, "mixed", ())
    threshold = _min_score(out_dir)
    if threshold is not None:
        res = dataclasses.replace(res, beads=tuple(dataclasses.replace(b, threshold=threshold) for b in res.beads))
    return render_items(title, document_items(res), width)


def _min_score(out_dir: str) -> float | None:
    """The threshold the run applied, from its report.json (None when there is none)."""
    import json

    try:
        with open(os.path.join(out_dir, "report.json"), encoding="utf-8") as fh:
            return float(json.load(fh)["config"]["align"]["min_score"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
