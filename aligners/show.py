"""One document's alignment, side by side for a terminal (``bitextflow show DOC_ID``).

Reads OUT/corpus.tsv and OUT/segments.tsv (as ``aligners.write`` writes them) and
lays out every pair as score | Chinese | English, with each unpaired or dropped
sentence on its own line in reading order, marked and with its reason. Widths
are display widths: a Chinese character takes two terminal columns.
"""
from __future__ import annotations

import csv
import os
import shutil
import unicodedata
from dataclasses import dataclass

from .pipeline import join_sentences
from .write import CORPUS_COLUMNS, SEGMENT_COLUMNS

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
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header[: len(columns)]) != columns:
            raise ValueError(f"{path}: unexpected header {header!r} (expected {', '.join(columns)})")
        return [dict(zip(header, row)) for row in reader]


def _ids(field: str) -> list[int]:
    return [int(x) for x in field.split(",") if x.strip()]


def document_items(corpus: list[dict], segments: list[dict]) -> list[_Item]:
    """Pairs in corpus order, each lone sentence placed before the first pair that
    follows it on its own side; rejected files first."""
    items = [_Item("drop", zh="" if s["source"] == "1" else s["text"], en=s["text"] if s["source"] == "1" else "",
                   note=s["reason"]) for s in segments if s["seg_id"] == "-1"]
    segs = sorted((s for s in segments if s["seg_id"] != "-1"), key=lambda s: int(s["seg_id"]))
    paired = {i for r in corpus for i in _ids(r["zh_ids"]) + _ids(r["en_ids"])}

    def side(s: dict) -> str:
        if s["lang"] in ("zh", "en"):
            return s["lang"]
        return "en" if s["source"] == "1" else "zh"

    lone = {"zh": [], "en": []}
    for s in segs:
        if int(s["seg_id"]) not in paired:
            lone[side(s)].append(s)

    def lone_item(s: dict) -> _Item:
        label = "drop" if s["status"] == "dropped" else "unp"
        tag = "" if s["lang"] in ("zh", "en") else f"[{s['lang']}] "
        text = tag + s["text"]
        return _Item(label, zh=text if side(s) == "zh" else "", en=text if side(s) == "en" else "", note=s["reason"])

    cursor = {"zh": 0, "en": 0}

    def take(lang: str, before: int | None) -> list[dict]:
        queue, start = lone[lang], cursor[lang]
        while cursor[lang] < len(queue) and (before is None or int(queue[cursor[lang]]["seg_id"]) < before):
            cursor[lang] += 1
        return queue[start:cursor[lang]]

    for r in corpus:
        zh_ids, en_ids = _ids(r["zh_ids"]), _ids(r["en_ids"])
        items.extend(_gap_items(take("zh", min(zh_ids) if zh_ids else None),
                                take("en", min(en_ids) if en_ids else None), lone_item))
        items.append(_Item(f"{float(r['score']):.2f}", zh=r["zh"], en=r["en"]))
    items.extend(_gap_items(take("zh", None), take("en", None), lone_item))
    return items


def _gap_items(zh: list[dict], en: list[dict], lone_item) -> list[_Item]:
    """Lone sentences between two pairs. A bead the aligner scored below the threshold
    left runs with the same 'alignment score S below T' reason on both sides: those are
    shown together, labelled (S), so the rejected pairing can be judged too."""
    out = []
    zq, eq = list(zh), list(en)
    while zq or eq:
        z, e = (zq[0] if zq else None), (eq[0] if eq else None)
        if z and e and _low(z) and z["reason"] == e["reason"]:
            zr = _run(zq, z["reason"])
            er = _run(eq, z["reason"])
            out.append(_Item(f"({_low(z)})", zh=join_sentences([s["text"] for s in zr], "zh"),
                             en=join_sentences([s["text"] for s in er], "en"), note=f"not paired: {z['reason']}"))
        elif z and _low(z) and any(x["reason"] == z["reason"] for x in eq):
            out.append(lone_item(eq.pop(0)))
        elif z and (not e or int(z["seg_id"]) < int(e["seg_id"])):  # reading order (mixed documents)
            out.append(lone_item(zq.pop(0)))
        else:
            out.append(lone_item(eq.pop(0)))
    return out


def _low(seg: dict) -> str:
    """'0.24' from 'alignment score 0.24 below 0.30', else ''."""
    words = seg["reason"].split()
    if seg["status"] == "unpaired" and len(words) == 5 and words[:2] == ["alignment", "score"] and words[3] == "below":
        return words[2]
    return ""


def _run(queue: list[dict], reason: str) -> list[dict]:
    out = []
    while queue and queue[0]["reason"] == reason:
        out.append(queue.pop(0))
    return out


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
    return render_items(title, document_items(doc_corpus, doc_segs), width)
