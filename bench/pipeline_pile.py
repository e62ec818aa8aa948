"""Piles of real documents for the pipeline benches, built from MAC-Dev and news-dev.

- ``real_pile(folder)``: the dev sets' documents as they are: news-dev's 123 pairs
  (``raw/``), the same 123 English originals with the Traditional translations
  (``raw-tw/``), MAC-Dev's six chapter pairs (``raw/``, one long line each) and its
  six bilingual documents (``mixed/``): 258 documents, ~5,300 gold beads.
- ``cut_pile(folder, n)``: ``n`` document pairs cut from both sets at gold bead
  boundaries (the beads' sentences from ``split/``, joined into running text, a
  paragraph every 4 beads); past the ~1,100 parts of 3 beads the sets give, the
  cuts repeat with shifted boundaries, so every document differs from every other.

Both return the number of documents written. Benches only: the tests never need
the dev sets.
"""
from __future__ import annotations

import os
import shutil

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DATA = os.path.normpath(os.path.join(ROOT, "..", "shared", "data"))
if not os.path.isdir(DATA):
    DATA = os.path.join(os.sep, "work", "shared", "data")
MACDEV, NEWSDEV = os.path.join(DATA, "mac-dev"), os.path.join(DATA, "news-dev")
MIN_PART = 3  # beads per cut document at the finest


def available() -> bool:
    return os.path.isdir(MACDEV) and os.path.isdir(NEWSDEV)


def _ids(part: str) -> list[int]:
    return [int(x) for x in part.strip().strip("[]").split(",") if x.strip()]


def read_beads(path: str) -> list[tuple[list[int], list[int]]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                src, tgt = line.split(":")[:2]
                out.append((_ids(src), _ids(tgt)))
    return out


def bead_texts(dataset: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(name, [(zh text, en text) per gold bead]) for every document of a dev set."""
    docs = []
    gold = os.path.join(dataset, "gold")
    for name in sorted(f[: -len(".align")] for f in os.listdir(gold) if f.endswith(".align")):
        with open(os.path.join(dataset, "split", name + ".zh"), encoding="utf-8") as fh:
            zh = fh.read().split("\n")
        with open(os.path.join(dataset, "split", name + ".en"), encoding="utf-8") as fh:
            en = fh.read().split("\n")
        beads = read_beads(os.path.join(gold, name + ".align"))
        docs.append((name, [("".join(zh[i] for i in s), " ".join(en[j] for j in t)) for s, t in beads]))
    return docs


def real_pile(folder: str) -> int:
    os.makedirs(folder, exist_ok=True)
    n = 0
    raw = os.path.join(NEWSDEV, "raw")
    for name in sorted(f[: -len(".en.txt")] for f in os.listdir(raw) if f.endswith(".en.txt")):
        for tag, zh_dir in (("cn", "raw"), ("tw", "raw-tw")):
            zh = os.path.join(NEWSDEV, zh_dir, name + ".zh.txt")
            if os.path.isfile(zh):
                shutil.copyfile(zh, os.path.join(folder, f"news-{tag}-{name}.zh.txt"))
                shutil.copyfile(os.path.join(raw, name + ".en.txt"), os.path.join(folder, f"news-{tag}-{name}.en.txt"))
                n += 1
    for f in sorted(os.listdir(os.path.join(MACDEV, "raw"))):
        if f.endswith(".txt"):
            shutil.copyfile(os.path.join(MACDEV, "raw", f), os.path.join(folder, "mac-" + f))
            n += f.endswith(".zh.txt")
    for f in sorted(os.listdir(os.path.join(MACDEV, "mixed"))):
        if f.endswith(".txt"):
            shutil.copyfile(os.path.join(MACDEV, "mixed", f), os.path.join(folder, "mac-mixed-" + f))
            n += 1
    return n


def _write_part(path: str, beads: list[tuple[str, str]]) -> None:
    zh_par, en_par = [], []
    for b in range(0, len(beads), 4):
        group = beads[b : b + 4]
        zh_par.append("".join(z for z, _ in group))
        en_par.append(" ".join(e for _, e in group if e))
    with open(path + ".zh.txt", "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(x for x in zh_par if x) + "\n")
    with open(path + ".en.txt", "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(x for x in en_par if x) + "\n")


def cut_pile(folder: str, n_docs: int) -> int:
    os.makedirs(folder, exist_ok=True)
    docs = bead_texts(MACDEV) + bead_texts(NEWSDEV)
    total = sum(len(b) for _, b in docs)
    per_copy = max(1, total // MIN_PART)
    written = copy = 0
    while written < n_docs:
        want = min(per_copy, n_docs - written)
        size = max(MIN_PART, total // max(1, want))
        shift = (copy * 7) % size  # a different first cut per copy, so copies differ
        for name, beads in docs:
            starts = [0] + list(range(shift or size, len(beads), size))
            for p, start in enumerate(starts):
                if written >= n_docs:
                    return written
                end = starts[p + 1] if p + 1 < len(starts) else len(beads)
                _write_part(os.path.join(folder, f"c{copy:02d}-{name}-p{p:04d}"), beads[start:end])
                written += 1
        copy += 1
    return written
