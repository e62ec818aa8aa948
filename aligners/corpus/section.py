"""The report's corpus section in Markdown: provenance, duplicates and each filter's count with an example."""
from __future__ import annotations

from aligners.report.escape import md_cell


def _cell(text) -> str:
    return md_cell(text)


def _clip(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _where(ex: dict) -> str:
    return f"{ex['doc_id']} zh {','.join(map(str, ex['zh_ids']))} en {','.join(map(str, ex['en_ids']))}"


def provenance_markdown(prov: dict) -> list[str]:
    return ["## Provenance", "", f"`{prov['signature']}`", ""]


def corpus_markdown(section: dict) -> list[str]:
    lines = ["## Duplicates and filters", "",
             f"{section['duplicates']} pairs were copies of a pair written before (status `duplicate`), "
             f"{section['filtered']} were rejected by a filter (status `filtered`); corpus.tsv holds the rest.", "",
             "| | pairs | example |", "|---|---|---|"]
    dup = section.get("duplicate_example")
    example = (f"{_where(dup)}: {_cell(_clip(dup['zh']))} / {_cell(_clip(dup['en']))} (first: {_where(dup['first'])})"
               if dup else "")
    lines.append(f"| duplicates | {section['duplicates']} | {example} |")
    for name, f in section["filters"].items():
        ex = f["example"]
        example = (f"{_where(ex)}: {_cell(_clip(ex['zh']))} / {_cell(_clip(ex['en']))} ({_cell(ex['reason'])})"
                   if ex else "")
        lines.append(f"| filter `{name}` | {f['pairs']} | {example} |")
    lines.append("")
    for name, params in section.get("filter_parameters", {}).items():
        shown = ", ".join(f"{k} {v}" for k, v in params.items() if k != "how")
        lines += [f"`{name}`: {shown} ({params.get('how', '')}).", ""]
    if section["per_document"]:
        lines += ["| doc_id | duplicates | filtered |", "|---|---|---|"]
        lines += [f"| {_cell(d)} | {c['duplicates']} | {c['filtered']} |" for d, c in section["per_document"].items()]
        lines.append("")
    return lines
