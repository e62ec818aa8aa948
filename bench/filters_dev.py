"""The pair filters (aligners/corpus/filters.py) on MAC-Dev, news-dev and the seed.

For each gold set, the pairs are the gold beads with both sides (sentences joined
as corpus.tsv joins them). Prints, per filter with its default settings:

  * correct gold pairs it removes (to be kept near 0);
  * broken pairs it catches, made from the gold pairs of the same set:
      unrelated   the Chinese of one pair with the English of a pair from another document
                  (of the other half of the document, when there is one),
      neighbour   the Chinese of one pair with the English of the next pair (an off-by-one alignment),
      copy        the English (or, every other pair, the Chinese) on both sides,
      truncated   the English cut to its first third of words (at least one word removed),
      merged      the English of five consecutive pairs against the Chinese of one,
      debris      the English reduced to its digits and punctuation, a list number's
                  "12." or a stray "”" (what a table or a broken line leaves as a side);
  * the length-ratio parameters fitted on the gold pairs (the prior in FilterConfig
    comes from the MAC-Dev line; the filter refits on every corpus of 50 pairs or more).

Then the seed (seeds/, through the pipeline without Prefect): the same table with the
seed's aligned pairs in place of gold (there is none), and what the filters and the
duplicate pass do to the seed's corpus, with an example each.

    .venv/bin/python bench/filters_dev.py [--mac ../shared/data/mac-dev] [--news ../shared/data/news-dev]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.config import FilterConfig  # noqa: E402
from aligners.corpus.filters import LengthRatio, build_filters  # noqa: E402
from aligners.pipeline import join_sentences  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]


def gold_pairs(data: Path) -> list[list[tuple[str, str]]]:
    """Per document, the gold pairs (zh, en) with both sides non-empty."""
    docs = []
    for gold in sorted((data / "gold").glob("*.align")):
        zh = (data / "split" / f"{gold.stem}.zh").read_text(encoding="utf-8").splitlines()
        en = (data / "split" / f"{gold.stem}.en").read_text(encoding="utf-8").splitlines()
        docs.append([(join_sentences([zh[i] for i in b.src], "zh"), join_sentences([en[j] for j in b.tgt], "en"))
                     for b in read_beads(gold) if b.src and b.tgt])
    return docs


def broken_pairs(docs: list[list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    out = {"unrelated": [], "neighbour": [], "copy": [], "truncated": [], "merged": [], "debris": []}
    for d, pairs in enumerate(docs):
        other = docs[(d + 1) % len(docs)]
        for k, (zh, en) in enumerate(pairs):
            if len(docs) > 1:
                out["unrelated"].append((zh, other[k % len(other)][1]))
            else:  # one document: a pair from the other half of it
                out["unrelated"].append((zh, pairs[(k + len(pairs) // 2) % len(pairs)][1]))
            if k + 1 < len(pairs):
                out["neighbour"].append((zh, pairs[k + 1][1]))
            out["copy"].append((en, en) if k % 2 == 0 else (zh, zh))
            words = en.split()
            if len(words) >= 3:
                out["truncated"].append((zh, " ".join(words[: len(words) // 3])))
            if k + 5 <= len(pairs):
                out["merged"].append((zh, " ".join(e for _, e in pairs[k:k + 5])))
            debris = "".join(ch for ch in en if not ch.isalpha() and not ch.isspace())
            out["debris"].append((zh, debris or f"{k + 1}."))
    return out


def rejected(f, pairs) -> list[tuple[str, str]]:
    return [(zh, en) for zh, en in pairs if not f.accept(f.score(zh, en))]


def measure(name: str, docs) -> None:
    gold = [p for doc in docs for p in doc]
    broken = broken_pairs(docs)
    fitted = LengthRatio().fit(gold)
    print(f"\n== {name}: {len(docs)} documents, {len(gold)} gold pairs")
    print(f"length ratio fitted on the gold pairs: ratio {fitted.ratio} English chars per Chinese char, "
          f"variance {fitted.variance} (n = {fitted.fitted_on})")
    filters = [f.fit(gold) for f in build_filters(FilterConfig())]
    kinds = list(broken)
    print(f"{'filter':<16} {'gold removed':>16} " + " ".join(f"{k:>14}" for k in kinds))
    for f in filters + ["any"]:
        if f == "any":
            label = "any filter"
            test = lambda pairs: [p for p in pairs if any(not g.accept(g.score(*p)) for g in filters)]  # noqa: E731
        else:
            label = f.name
            test = lambda pairs, f=f: rejected(f, pairs)  # noqa: E731
        removed = test(gold)
        cells = [f"{len(test(broken[k])):>5} / {len(broken[k]):<5}" for k in kinds]
        print(f"{label:<16} {len(removed):>5} ({len(removed) / len(gold):.2%})  " + " ".join(f"{c:>14}" for c in cells))
    for f in filters:
        removed = rejected(f, gold)
        if removed:
            zh, en = removed[0]
            print(f"  gold removed by {f.name}, e.g.: {zh[:60]!r} / {en[:80]!r} -> {f.explain(f.score(zh, en))}")


def seed() -> None:
    from aligners.corpus.curate import curate
    from aligners.io.inputs import discover, read_document
    from aligners.pipeline import process_document

    specs, _ = discover([str(ROOT / "seeds")])
    results = [process_document(read_document(s)) for s in specs]
    measure("seed (its aligned pairs taken as correct)", [[(r.zh, r.en) for r in res.rows] for res in results
                                                          if len(res.rows) > 1])
    kept, stats = curate(results)
    section = stats.to_dict()
    total = sum(len(r.rows) for r in results)
    print(f"\n== seed: {len(results)} documents, {total} pairs aligned, {sum(len(r.rows) for r in kept)} kept; "
          f"{section['filtered']} filtered, {section['duplicates']} duplicates")
    print(f"length ratio: {section['filter_parameters'].get('length_ratio')}")
    for name, f in section["filters"].items():
        ex = f["example"]
        line = f"{name:<16} {f['pairs']:>4} pairs"
        if ex:
            line += f"  e.g. {ex['doc_id']} zh {ex['zh_ids']}: {ex['zh'][:50]!r} / {ex['en'][:60]!r} -> {ex['reason']}"
        print(line)
    if section["duplicate_example"]:
        print(f"duplicate example: {section['duplicate_example']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mac", default=str(SHARED / "mac-dev"))
    ap.add_argument("--news", default=str(SHARED / "news-dev"))
    args = ap.parse_args()
    for name, path in (("MAC-Dev", Path(args.mac)), ("news-dev", Path(args.news))):
        if (path / "gold").is_dir():
            measure(name, gold_pairs(path))
        else:
            print(f"no data at {path}; skipping {name}")
    seed()


if __name__ == "__main__":
    main()
