"""The run report: one dict (report.json) and its readable rendering (report.md).

Everything except ``timings`` and ``from_cache`` is a function of the inputs and
the configuration, so two runs over the same inputs differ only in those. Reasons
are counted by code (``aligners.types``) and put into words when rendered.
"""
from __future__ import annotations

from aligners.report.escape import md_cell

import json
from collections import Counter

from aligners import __version__
from aligners.config import Config
from aligners.types import DROPPED, PAIRED, UNPAIRED, DocumentResult, reason_text


def rule_examples(results: list[DocumentResult]) -> dict[str, dict]:
    """How often each normalisation rule fired (segments changed), with one example and where it is."""
    from aligners.text.segment import rule_counts

    segments = [s for res in results for s in res.segments]
    first = {}
    for s in segments:
        for rule in s.rules:
            first.setdefault(rule, s)
    return {name: {"count": c["count"],
                   "example": {"doc_id": first[name].doc_id, "seg_id": first[name].seg_id,
                               "before": c["example"][0], "after": c["example"][1]}}
            for name, c in rule_counts(segments).items()}


def build_report(results: list[DocumentResult], skipped=(), config: Config = Config(),
                 timings: dict | None = None, corpus: dict | None = None, provenance: dict | None = None,
                 from_cache: dict | None = None) -> dict:
    """``corpus``/``provenance``: the corpus pass's section and signature (aligners.corpus.finish)."""
    langs, statuses, unpaired, dropped, removed, beads = Counter(), Counter(), Counter(), Counter(), Counter(), Counter()
    documents, rejected = [], []
    pairs = 0
    for res in results:
        seg_langs = Counter(s.lang for s in res.segments)
        seg_status = Counter(s.status for s in res.segments)
        langs.update(seg_langs)
        statuses.update(seg_status)
        unpaired.update(s.reason for s in res.segments if s.status == UNPAIRED)
        dropped.update(s.reason for s in res.segments if s.status == DROPPED)
        beads.update(b.reason or b.status for b in res.beads)
        for src in res.sources:
            removed.update({f"{src.encoding.split('/')[0]}: {what}": n for what, n in src.removed})
            if src.error:
                rejected.append({"doc_id": res.doc_id, "path": src.path, "reason": src.error})
        pairs += len(res.rows)
        scores = [r.score for r in res.rows]
        documents.append({
            "doc_id": res.doc_id,
            "kind": res.kind,
            "sources": [{"path": s.path, "encoding": s.encoding, "replaced": s.replaced,
                         "error": s.error, "notes": list(s.notes), "removed": dict(s.removed)}
                        for s in res.sources],
            "segments": dict(sorted(seg_langs.items())),
            "pairs": len(res.rows),
            "paired_segments": seg_status.get(PAIRED, 0),
            "unpaired": seg_status.get(UNPAIRED, 0),
            "dropped": seg_status.get(DROPPED, 0),
            "mean_score": round(sum(scores) / len(scores), 4) if scores else None,
            "notes": list(res.stats.get("notes", [])),
        })
    return {
        "bitextflow": __version__,
        "config_signature": config.signature(),
        **({"provenance": provenance} if provenance else {}),
        "documents": len(results),
        "files_rejected": rejected,
        "inputs_skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
        "segments": {"total": sum(langs.values()), "by_language": dict(sorted(langs.items())),
                     "by_status": dict(sorted(statuses.items()))},
        "pairs": pairs,
        "beads_by_decision": dict(sorted(beads.items())),  # "paired" or the reason code of an unpaired bead
        "unpaired_by_reason": dict(sorted(unpaired.items())),
        "dropped_by_reason": dict(sorted(dropped.items())),
        "removed_by_readers": dict(sorted(removed.items())),
        "rules": rule_examples(results),
        **({"corpus": corpus} if corpus else {}),
        "per_document": documents,
        "config": config.to_dict(),
        "timings": timings or {},
        "from_cache": from_cache or {},
    }


def report_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _cell(text) -> str:
    return md_cell(text)


def render_markdown(report: dict) -> str:
    seg = report["segments"]
    lines = [
        "# bitextflow run report",
        "",
        f"bitextflow {report['bitextflow']}, config `{report['config_signature']}`",
        "",
        "## Summary",
        "",
        "| | |",
        "|---|---|",
        f"| documents | {report['documents']} |",
        f"| segments | {seg['total']} ({_counts(seg['by_language'])}) |",
        f"| pairs | {report['pairs']} |",
        f"| segments paired | {seg['by_status'].get(PAIRED, 0)} |",
        f"| segments unpaired | {seg['by_status'].get(UNPAIRED, 0)} |",
        f"| segments dropped | {seg['by_status'].get(DROPPED, 0)} |",
        f"| files rejected | {len(report['files_rejected'])} |",
        f"| inputs skipped | {len(report['inputs_skipped'])} |",
        "",
    ]
    for title, key, unit in (("Unpaired, by reason", "unpaired_by_reason", "segments"),
                             ("Dropped, by reason", "dropped_by_reason", "segments"),
                             ("Left out by the format readers", "removed_by_readers", "count")):
        if report.get(key):
            lines += [f"## {title}", "", f"| {'what' if unit == 'count' else 'reason'} | {unit} |", "|---|---|"]
            lines += [f"| {_cell(reason_text(k))} | {v} |" for k, v in report[key].items()]
            lines.append("")
    if report["files_rejected"] or report["inputs_skipped"]:
        lines += ["## Files not processed", "", "| file | reason |", "|---|---|"]
        lines += [f"| {_cell(r['path'])} | {_cell(r['reason'])} |" for r in report["files_rejected"]]
        lines += [f"| {_cell(r['path'])} | {_cell(r['reason'])} |" for r in report["inputs_skipped"]]
        lines.append("")
    lines += ["## Documents", "", "| doc_id | kind | zh | en | pairs | unpaired | dropped | mean score | notes |",
              "|---|---|---|---|---|---|---|---|---|"]
    for d in report["per_document"]:
        notes = [n for s in d["sources"] for n in s["notes"]] + d["notes"]
        notes += [f"{s['path']}: {s['error']}" for s in d["sources"] if s["error"]]
        score = "" if d["mean_score"] is None else f"{d['mean_score']:.3f}"
        lines.append(f"| {_cell(d['doc_id'])} | {d['kind']} | {d['segments'].get('zh', 0)} | {d['segments'].get('en', 0)} "
                     f"| {d['pairs']} | {d['unpaired']} | {d['dropped']} | {score} | {_cell('; '.join(notes))} |")
    lines.append("")
    if report["rules"]:
        lines += ["## Normalisation rules", "", "| rule | segments | example before | example after |",
                  "|---|---|---|---|"]
        for name, r in report["rules"].items():
            ex = r["example"]
            lines.append(f"| {name} | {r['count']} | {_cell(_clip(ex['before']))} | {_cell(_clip(ex['after']))} |")
        lines.append("")
    if report.get("corpus"):
        from aligners.corpus.section import corpus_markdown

        lines += corpus_markdown(report["corpus"])
    if report.get("provenance"):
        from aligners.corpus.section import provenance_markdown

        lines += provenance_markdown(report["provenance"])
    if report["timings"]:
        lines += ["## Time per stage (seconds, this run)", "", "| stage | seconds |", "|---|---|"]
        lines += [f"| {k} | {v:.2f} |" for k, v in report["timings"].items()]
        lines.append("")
        cached = report.get("from_cache") or {}
        if any(cached.values()):
            lines += ["Documents taken from the cache (not timed): "
                      + ", ".join(f"{stage} {n}" for stage, n in cached.items()), ""]
    return "\n".join(lines)


def _counts(counts: dict) -> str:
    return ", ".join(f"{k or '?'}: {v}" for k, v in counts.items())


def _clip(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
