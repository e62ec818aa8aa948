"""Run the text stage on a document (default: the seed) and print what is left of each
artefact class the normalisation rules undo, whether the must-survive items are intact, how the lines
were labelled, and how often each rule fired (with an example).

    .venv/bin/python bench/normalize_seed.py [FILE]
"""
from __future__ import annotations

import sys
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligners.text.segment import rule_counts, segment_document  # noqa: E402
from aligners.types import DROPPED, Decoded, Document  # noqa: E402

SEED = ROOT / "seeds" / "000_13201b94cee9fdc6.txt"

# artefact class -> (language, pattern that finds what is left of it in normalised text)
ARTEFACTS = {
    "spaces inside curly quotes": ("en", r"‘\s|\s’(?=\s*[.,;:!?\"”]|\s+\p{Lu}|$)|“\s|\s”"),
    "space before a closing quote": ("en", r"\s\"(?=$|[\s,.;:!?])"),
    "straight and curly double quotes mixed": ("en", r"^(?=.*\")(?=.*[“”])"),
    "Chinese punctuation in English": ("en", r"[。，？！：；、]"),
    "space before a full stop": ("en", r"\s\.(?=\s|$|[\"”’])"),
    "spaced ellipsis": ("any", r"…\s+…"),
    "broken entity": ("any", r"&\s?(?i:helip|hellip)"),
    "half-width , ? : ; in Chinese": ("zh", r"(?<=\p{Han})[,?:;]|[,?:;](?=\p{Han})"),
    "leading/trailing white space": ("any", r"^\s|\s$"),
}
ZH_MARKS = set("。、“”（）")
SURVIVE = ["。", "、", "“", "”", "18,000", "China’s", '"urban brain"', "8.82", "R&D", "AT&T", ".NET", "10:30", "（", "）"]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    text = path.read_text(encoding="utf-8")
    segs = segment_document(Document(path.stem, "mixed", (Decoded(str(path), text, "utf-8"),)))
    kept = [s for s in segs if s.status != DROPPED]
    print(f"{path.name}: {len(segs)} segments, {len(kept)} kept, {len(segs) - len(kept)} dropped")
    print("\nartefacts left (in kept segments):")
    for name, (lang, pattern) in ARTEFACTS.items():
        hits = [s for s in kept if (lang == "any" or s.lang == lang) and regex.search(pattern, s.text)]
        print(f"  {len(hits):3}  {name}")
        for s in hits[:3]:
            print(f"        seg {s.seg_id}: {s.text[:100]!r}")
    print("\nmust survive (count in the raw -> normalised text of segments; marks of Chinese: zh segments):")
    for item in SURVIVE:
        pool = [s for s in segs if s.lang == "zh"] if item in ZH_MARKS else segs
        n_in = sum(s.raw.count(item) for s in pool)
        n_out = sum(s.text.count(item) for s in pool)
        if n_in:
            print(f"  {'ok ' if n_out >= n_in else 'LOST'} {item!r}: {n_in} -> {n_out}")
    print("\nlanguages by input line:")
    pos, by_line = 0, {}
    for s in segs:
        start = text.index(s.raw, pos)
        pos = start + len(s.raw)
        line = text.count("\n", 0, start) + 1
        by_line.setdefault(line, []).append(s)
    for lang in ("zh", "en", "other"):
        lines = sorted(line for line, ss in by_line.items() if any(s.lang == lang for s in ss))
        print(f"  {lang}: {len(lines)} lines {lines if lang != 'en' else ''}")
    print("\ndropped:")
    for s in segs:
        if s.status == DROPPED:
            print(f"  seg {s.seg_id} ({s.lang}): {s.reason}: {s.raw[:60]!r}")
    print("\nflags:")
    for s in segs:
        if s.flags:
            print(f"  seg {s.seg_id}: {s.flags}: {s.raw[-40:]!r}")
    print("\nrules fired (segments changed):")
    for name, info in sorted(rule_counts(segs).items(), key=lambda kv: -kv[1]["count"]):
        raw, new = info["example"]
        print(f"  {info['count']:3}  {name:28} e.g. {raw[:50]!r} -> {new[:50]!r}")


if __name__ == "__main__":
    main()
