"""The matching in the run report: pairs with their scores, the files left alone and why,
and the distribution of the re-scored candidates' scores with the threshold."""
from __future__ import annotations

from html import escape

from aligners.report.escape import md_cell

from .pile import DocumentEntry


def matching_summary(entries: list[DocumentEntry], scores, threshold: float) -> dict:
    matched = [e for e in entries if e.score is not None and not e.reason]
    alone = [e for e in entries if e.reason]
    return {
        "threshold": threshold,
        "matched_pairs": len(matched),
        "unmatched_files": len(alone),
        "pairs": [{"doc_id": e.doc_id, "zh_file": e.zh_file, "en_file": e.en_file, "score": e.score}
                  for e in matched],
        "unmatched": [{"doc_id": e.doc_id, "file": e.zh_file or e.en_file, "score": e.score, "reason": e.reason}
                      for e in alone],
        "candidate_scores": [round(s, 4) for s in scores],
    }


def _score(value) -> str:
    return "" if value is None else f"{value:.2f}"


def render_markdown(summary: dict) -> str:
    lines = [f"## Matching by content (threshold {summary['threshold']:.2f})", "",
             f"{summary['matched_pairs']} pairs matched, {summary['unmatched_files']} files left alone; "
             f"{len(summary['candidate_scores'])} candidate pairs re-scored by aligning them.", ""]
    if summary["pairs"]:
        lines += ["| doc_id | zh file | en file | score |", "|---|---|---|---|"]
        lines += [f"| {md_cell(p['doc_id'])} | {md_cell(p['zh_file'])} | {md_cell(p['en_file'])} | {_score(p['score'])} |"
                  for p in summary["pairs"]]
        lines.append("")
    if summary["unmatched"]:
        lines += ["| unmatched file | best score | reason |", "|---|---|---|"]
        lines += [f"| {md_cell(u['file'])} | {_score(u['score'])} | {md_cell(u['reason'])} |" for u in summary["unmatched"]]
        lines.append("")
    return "\n".join(lines) + "\n"


def render_html(summary: dict) -> str:
    from aligners.report.svg import histogram_svg

    def e(v) -> str:
        return escape(str(v), quote=True)

    out = [f"<h2>Matching by content</h2>\n<p>{summary['matched_pairs']} pairs matched, "
           f"{summary['unmatched_files']} files left alone. Scores of the "
           f"{len(summary['candidate_scores'])} candidate pairs re-scored by aligning them "
           f"(threshold {summary['threshold']:.2f}):</p>",
           histogram_svg(summary["candidate_scores"], summary["threshold"], what="Match scores",
                         items="candidate pairs")]
    if summary["pairs"]:
        rows = "".join(f'<tr><td>{e(p["doc_id"])}</td><td>{e(p["zh_file"])}</td><td>{e(p["en_file"])}</td>'
                       f'<td class="n">{_score(p["score"])}</td></tr>' for p in summary["pairs"])
        out.append("<table><thead><tr><th>doc_id</th><th>zh file</th><th>en file</th><th>score</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>")
    if summary["unmatched"]:
        rows = "".join(f'<tr><td>{e(u["file"])}</td><td class="n">{_score(u["score"])}</td><td>{e(u["reason"])}</td></tr>'
                       for u in summary["unmatched"])
        out.append("<h3>Left alone</h3><table><thead><tr><th>file</th><th>best score</th><th>reason</th></tr></thead>"
                   f"<tbody>{rows}</tbody></table>")
    return "\n".join(out)
