"""Language detection figures: script rule on the seed and MAC-Dev, cut finding on
concatenated sentences, and false-flag rates of the statistical "is it English" check.

    .venv/bin/python bench/detect_macdev.py
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aligners.config import TextConfig  # noqa: E402
from aligners.text.detect import _detect_cld2, _detect_langdetect, sentence_language, word_count  # noqa: E402
from aligners.text.segment import segment_document, source_pieces  # noqa: E402
from aligners.types import Decoded, Document  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "mac-dev"
SEED = ROOT / "seeds" / "000_13201b94cee9fdc6.txt"
SEED_ZH_LINES = range(11, 24)  # 1-based lines of the untranslated Chinese chunk

# A few sentences that are not English, to show the check still catches them.
NOT_ENGLISH = [
    "Le développement de la région occidentale est un projet séculaire pour tout le pays.",
    "Die Entwicklung der westlichen Region ist ein Jahrhundertprojekt für das ganze Land.",
    "El desarrollo de la región occidental es un proyecto centenario para todo el país.",
    "Lo sviluppo della regione occidentale è un progetto secolare per tutto il paese.",
    "O desenvolvimento da região ocidental é um projeto secular para todo o país.",
    "De ontwikkeling van de westelijke regio is een project van een eeuw voor het hele land.",
    "Zhongguo de xibu diqu fazhan shi yige bainian gongcheng, women bixu jianchi xiaqu.",
    "Utvecklingen av den västra regionen är ett sekelprojekt för hela landet och folket.",
]


def seed_labels() -> None:
    text = SEED.read_text(encoding="utf-8")
    segs = segment_document(Document("seed", "mixed", (Decoded(str(SEED), text, "utf-8"),)))
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)
    pos, wrong, lines = 0, [], {}
    for s in segs:
        start = text.index(s.raw, pos)
        pos = start + len(s.raw)
        line = max(i for i, off in enumerate(line_starts) if off <= start) + 1
        expected = "zh" if line in SEED_ZH_LINES else "en"
        lines.setdefault(line, set()).add(s.lang)
        if s.lang != expected:
            wrong.append((line, s.lang, s.raw[:50]))
    zh_lines = sorted(line for line, langs in lines.items() if "zh" in langs)
    print(f"seed: {len(segs)} segments on {len(lines)} lines; wrong language: {len(wrong)}; zh lines: {zh_lines}")
    for w in wrong:
        print("   wrong:", w)


def read_split(lang: str) -> dict[str, list[str]]:
    return {
        f.stem: [line for line in f.read_text(encoding="utf-8").split("\n") if line]
        for f in sorted((DATA / "split").glob(f"*.{lang}"))
    }


def macdev_labels(zh: dict, en: dict) -> None:
    for lang, chapters in (("zh", zh), ("en", en)):
        total = ok = 0
        for sentences in chapters.values():
            for s in sentences:
                total += 1
                ok += sentence_language(s) == lang
        print(f"MAC-Dev {lang} sentences labelled {lang}: {ok}/{total} = {ok / total:.4f}")
    total = ok = 0
    for f in sorted((DATA / "mixed").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        segs = segment_document(Document(f.stem, "mixed", (Decoded(f.name, text, "utf-8"),)))
        for s in segs:
            block_lang = "zh" if s.paragraph % 2 == 0 else "en"  # mixed/: zh block, en block, ...
            total += 1
            ok += s.lang == block_lang
    print(f"MAC-Dev mixed/ segments whose language is their block's: {ok}/{total} = {ok / total:.4f}")


def cut_finding(zh: dict, en: dict) -> None:
    """Two gold sentences of different languages concatenated: does splitting (with
    the language of each sentence) find exactly the junction?"""
    for sep_name, sep in (("no space", ""), ("one space", " ")):
        for order in ("zh+en", "en+zh"):
            total = found = 0
            for chapter in zh:
                for a, b in zip(zh[chapter], en[chapter]):
                    first, second = (a, b) if order == "zh+en" else (b, a)
                    text = first + sep + second
                    pieces = source_pieces(text)
                    total += 1
                    found += (
                        len(pieces) == 2
                        and (pieces[0].start, pieces[0].end) == (0, len(first))
                        and pieces[1].end == len(text)
                        and pieces[0].lang != pieces[1].lang
                    )
            print(f"cut found at the junction, {order}, {sep_name}: {found}/{total} = {found / total:.4f}")


def false_flags(en: dict) -> None:
    sentences = [s for chapter in en.values() for s in chapter if word_count(s) >= TextConfig().langdetect_min_words]
    for name, fn in (("langdetect", lambda t: _detect_langdetect(t, 0)), ("pycld2", _detect_cld2)):
        try:
            fn("warm up the detector with a sentence")
        except ImportError:
            print(f"{name}: not installed")
            continue
        t0 = time.perf_counter()
        codes = [fn(s) for s in sentences]
        elapsed = time.perf_counter() - t0
        flagged = [(c, s) for c, s in zip(codes, sentences) if c and c != "en"]
        caught = sum(1 for s in NOT_ENGLISH if (fn(s) or "en") != "en")
        print(
            f"{name}: flags {len(flagged)}/{len(sentences)} = {len(flagged) / len(sentences):.4f} of MAC-Dev English "
            f"sentences (>= 5 words) as not English; catches {caught}/{len(NOT_ENGLISH)} non-English samples; "
            f"{1000 * elapsed / len(sentences):.2f} ms/sentence"
        )
        for c, s in flagged[:5]:
            print(f"   {c}: {s[:80]}")


def main() -> None:
    seed_labels()
    if not DATA.exists():
        print(f"MAC-Dev not found at {DATA}; the rest skipped")
        return
    zh, en = read_split("zh"), read_split("en")
    macdev_labels(zh, en)
    cut_finding(zh, en)
    false_flags(en)


if __name__ == "__main__":
    main()
