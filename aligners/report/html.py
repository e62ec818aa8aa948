"""report.html: the run report as one self-contained page (inline CSS and SVG, no scripts).

``render_html(report, results, min_score)`` takes ``aligners.report.summary.build_report``'s
dict and the DocumentResults it was built from. Every piece of input text goes
through ``html.escape``; a Content-Security-Policy forbids scripts and any fetch,
so the page opens offline and input can never act as markup. The output is a
function of its arguments only (run timings are left to report.md/report.json),
so the same inputs give byte-identical HTML.
"""
from __future__ import annotations

import difflib
from collections import Counter
from html import escape

from aligners.report.svg import DROPPED_COLOUR, UNPAIRED_COLOUR, PathBead, PathPicture, histogram_svg, path_svg, score_colour
from aligners.types import BELOW_MIN_SCORE, DROPPED, PAIRED, UNPAIRED, DocumentResult, reason_text

MAX_PICTURES = 300  # beyond this many documents, pictures are drawn for the weakest ones only
MAX_LISTED = 100  # unpaired/dropped segments listed per document ...
MAX_LISTED_TOTAL = 1000  # ... and in the whole page, so its size stays bounded
MAX_TEXT = 200  # characters of a listed segment

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC",
"Microsoft YaHei",sans-serif;margin:0 auto;max-width:1280px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:0 0 4px;word-break:break-all}
.meta{color:#666;font-size:12px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:6px 12px;min-width:90px}
.card b{display:block;font-size:22px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.t{white-space:pre-wrap;word-break:break-word;max-width:520px}
del{background:#f7c5c0;text-decoration:line-through}ins{background:#c4ebc4;text-decoration:none}
.docs{display:flex;flex-wrap:wrap;gap:18px}
.doc{border:1px solid #ddd;border-radius:6px;padding:10px;min-width:360px;max-width:560px}
.doc p{margin:2px 0;font-size:12px;color:#444}
.legend{display:flex;flex-wrap:wrap;gap:14px;align-items:center;font-size:12px;margin:6px 0}
.sw{display:inline-block;width:14px;height:10px;vertical-align:middle;margin-right:3px}
.ax{font-size:11px;fill:#555}
details{margin-top:6px;font-size:12px}details table{font-size:12px}
.note{color:#8a5a00}
"""


def render_html(report: dict, results: list[DocumentResult], min_score: float) -> str:
    """The whole page, as a string (write it with ``aligners.io.tsv.atomic_write_text``)."""
    pictures = [document_picture(res) for res in results]
    chosen = _chosen_documents(results, pictures)
    body = [
        _header(report, min_score),
        _summary(report),
        _histogram(results, min_score),
        _matching(report),
        _documents_table(report, set(chosen)),
        _reasons(report),
        _rules(report),
        _not_processed(report),
        _pictures(results, pictures, chosen),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>bitextflow run report</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")


# --- the data behind the pictures -------------------------------------------------

def document_picture(res: DocumentResult) -> PathPicture:
    """Axis positions of every Chinese and English segment (dropped ones included) and the
    document's beads with both sides; one-sided beads and other unpaired segments are
    the unpaired marks."""
    axis: dict[str, dict[int, int]] = {"zh": {}, "en": {}}
    ordered = sorted(res.segments, key=lambda s: s.seg_id)
    for s in ordered:
        if s.lang in axis:
            axis[s.lang][s.seg_id] = len(axis[s.lang])
    in_bead = res.bead_of()
    unpaired: dict[str, list[int]] = {"zh": [], "en": []}
    dropped: dict[str, list[int]] = {"zh": [], "en": []}
    for s in ordered:
        if s.lang not in axis:
            continue
        if s.status == DROPPED:
            dropped[s.lang].append(axis[s.lang][s.seg_id])
        elif s.status == UNPAIRED and s.seg_id not in in_bead:
            unpaired[s.lang].append(axis[s.lang][s.seg_id])
    beads = []
    for b in res.beads:
        zh = tuple(axis["zh"][i] for i in b.zh)
        en = tuple(axis["en"][j] for j in b.en)
        if zh and en:
            beads.append(PathBead(zh, en, b.score, b.status == PAIRED))
        else:
            unpaired["zh" if zh else "en"].extend(zh or en)
    return PathPicture(
        n_zh=len(axis["zh"]), n_en=len(axis["en"]), beads=tuple(beads),
        unpaired_zh=tuple(sorted(unpaired["zh"])), unpaired_en=tuple(sorted(unpaired["en"])),
        dropped_zh=tuple(dropped["zh"]), dropped_en=tuple(dropped["en"]),
    )


def bead_scores(results: list[DocumentResult]) -> list[float]:
    """Scores of every bead with sentences on both sides, paired or not."""
    return [b.score for res in results for b in res.beads if b.zh and b.en]


# --- sections ---------------------------------------------------------------------

def _e(value) -> str:
    return escape(str(value), quote=True)


def _header(report: dict, min_score: float) -> str:
    return (f"<h1>bitextflow run report</h1>\n<p class=\"meta\">bitextflow {_e(report.get('bitextflow', ''))}"
            f" · config <code>{_e(report.get('config_signature', ''))}</code> · min_score {min_score:.2f}"
            " · run times are in report.md / report.json</p>")


def _card(value, label: str) -> str:
    return f'<div class="card"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _pct(n: int, total: int) -> str:
    return f"{n} ({100 * n / total:.0f}%)" if total else str(n)


def _summary(report: dict) -> str:
    seg = report["segments"]
    by_status, total = seg["by_status"], seg["total"]
    langs = ", ".join(f"{_e(k or '?')} {v}" for k, v in seg["by_language"].items())
    cards = [
        _card(report["documents"], "documents"),
        _card(report["pairs"], "pairs in corpus.tsv"),
        _card(total, f"segments ({langs})" if langs else "segments"),
        _card(_pct(by_status.get(PAIRED, 0), total), "segments paired"),
        _card(_pct(by_status.get(UNPAIRED, 0), total), "segments unpaired"),
        _card(_pct(by_status.get(DROPPED, 0), total), "segments dropped"),
        _card(len(report["files_rejected"]), "files rejected"),
        _card(len(report["inputs_skipped"]), "inputs skipped"),
    ]
    return "<h2>Summary</h2>\n<div class=\"cards\">" + "".join(cards) + "</div>"


def _histogram(results: list[DocumentResult], min_score: float) -> str:
    scores = bead_scores(results)
    below = sum(1 for res in results for b in res.beads if b.reason == BELOW_MIN_SCORE)
    return ("<h2>Bead scores</h2>\n"
            f"<p>{len(scores)} beads with sentences on both sides; {below} scored below min_score "
            f"{min_score:.2f} and were not paired.</p>\n" + histogram_svg(scores, min_score))


def _matching(report: dict) -> str:
    """The pile's matching by content, when the run had one (``run --match``)."""
    if "matching" not in report:
        return ""
    from aligners.match.report import render_html as matching_html

    return matching_html(report["matching"])


def _documents_table(report: dict, linked: set[int]) -> str:
    rows = []
    for k, d in enumerate(report["per_document"]):
        notes = [n for s in d["sources"] for n in s["notes"]] + list(d["notes"])
        notes += [f"{s['path']}: {s['error']}" for s in d["sources"] if s["error"]]
        score = "" if d["mean_score"] is None else f"{d['mean_score']:.3f}"
        colour = "" if d["mean_score"] is None else f' style="border-left:6px solid {score_colour(d["mean_score"])}"'
        name = f'<a href="#doc-{k}">{_e(d["doc_id"])}</a>' if k in linked else _e(d["doc_id"])
        rows.append(f'<tr><td>{name}</td><td>{_e(d["kind"])}</td>'
                    f'<td class="n">{d["segments"].get("zh", 0)}</td><td class="n">{d["segments"].get("en", 0)}</td>'
                    f'<td class="n">{d["pairs"]}</td><td class="n">{d["unpaired"]}</td><td class="n">{d["dropped"]}</td>'
                    f'<td class="n"{colour}>{score}</td><td>{"<br>".join(_e(n) for n in notes)}</td></tr>')
    return ("<h2>Documents</h2>\n<table><thead><tr><th>doc_id</th><th>kind</th><th>zh segments</th>"
            "<th>en segments</th><th>pairs</th><th>unpaired</th><th>dropped</th><th>mean score</th><th>notes</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _reasons(report: dict) -> str:
    out = []
    for title, key in (("Unpaired segments, by reason", "unpaired_by_reason"),
                       ("Dropped segments, by reason", "dropped_by_reason")):
        counts = report[key]
        if counts:
            rows = "".join(f'<tr><td>{_e(reason_text(r))}</td><td class="n">{n}</td></tr>'
                           for r, n in sorted(counts.items()))
            out.append(f"<h2>{title}</h2>\n<table><thead><tr><th>reason</th><th>segments</th></tr></thead>"
                       f"<tbody>{rows}</tbody></table>")
    return "\n".join(out)


def diff_html(before: str, after: str, context: int = 40) -> tuple[str, str]:
    """Escaped ``before`` with removed text in <del>, ``after`` with added text in <ins>;
    long unchanged stretches are shortened to ``context`` characters around the changes."""
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    b_out, a_out = [], []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            text = before[i1:i2]
            first, last = k == 0, k == len(ops) - 1
            if first and len(text) > context:
                text = "…" + text[-context:]
            elif last and len(text) > context:
                text = text[:context] + "…"
            elif len(text) > 2 * context:
                text = text[:context] + " … " + text[-context:]
            b_out.append(_e(text))
            a_out.append(_e(text))
            continue
        if i2 > i1:
            b_out.append(f"<del>{_e(before[i1:i2])}</del>")
        if j2 > j1:
            a_out.append(f"<ins>{_e(after[j1:j2])}</ins>")
    return "".join(b_out), "".join(a_out)


def _rules(report: dict) -> str:
    if not report["rules"]:
        return "<h2>Normalisation rules</h2>\n<p>No rule changed any text.</p>"
    rows = []
    located = any("doc_id" in r["example"] for r in report["rules"].values())
    for name, r in report["rules"].items():
        ex = r["example"]
        before, after = diff_html(ex["before"], ex["after"])
        where = f'<td>{_e(ex.get("doc_id", ""))} {_e(ex.get("seg_id", ""))}</td>' if located else ""
        rows.append(f'<tr><td><code>{_e(name)}</code></td><td class="n">{r["count"]}</td>'
                    f'<td class="t">{before}</td><td class="t">{after}</td>{where}</tr>')
    return ("<h2>Normalisation rules</h2>\n<p>Segments each rule changed, with the first example "
            "(removed text <del>struck</del>, added text <ins>green</ins>).</p>\n"
            "<table><thead><tr><th>rule</th><th>segments</th><th>example before</th><th>example after</th>"
            + ("<th>segment</th>" if located else "") + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _not_processed(report: dict) -> str:
    rows = [f'<tr><td>{_e(r["path"])}</td><td>rejected</td><td>{_e(r["reason"])}</td></tr>'
            for r in report["files_rejected"]]
    rows += [f'<tr><td>{_e(r["path"])}</td><td>skipped</td><td>{_e(r["reason"])}</td></tr>'
             for r in report["inputs_skipped"]]
    if not rows:
        return "<h2>Files not processed</h2>\n<p>None: every input was read.</p>"
    return ("<h2>Files not processed</h2>\n<table><thead><tr><th>file</th><th></th><th>reason</th></tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table>")


def _legend() -> str:
    swatches = "".join(f'<span><i class="sw" style="background:{score_colour(s)}"></i>{s:.1f}</span>'
                       for s in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0))
    return ('<div class="legend"><span>bead score:</span>' + swatches +
            '<span><i class="sw" style="border:2px solid #d73027;box-sizing:border-box"></i>hollow: '
            'below min_score</span>'
            f'<span><i class="sw" style="background:{UNPAIRED_COLOUR};height:3px"></i>unpaired '
            '(horizontal: Chinese with no English; vertical: English with no Chinese)</span>'
            f'<span><i class="sw" style="background:{DROPPED_COLOUR};width:3px"></i>dropped (ticks on the axes)</span>'
            '</div>')


def _unpaired_list(res: DocumentResult, budget: int) -> tuple[str, int]:
    """A collapsed table of the document's unpaired and dropped segments, at most
    ``budget`` of them; returns the HTML and how many were listed."""
    segs = [s for s in res.segments if s.status in (UNPAIRED, DROPPED)]
    if not segs:
        return "", 0
    shown = segs[: max(min(MAX_LISTED, budget), 0)]
    rows = "".join(f'<tr><td class="n">{s.seg_id}</td><td>{_e(s.lang)}</td><td>{_e(s.status)}</td>'
                   f'<td>{_e(reason_text(s.reason))}</td><td class="t">{_e(_clip(s.text))}</td></tr>' for s in shown)
    more = f"<p>… and {len(segs) - len(shown)} more (see segments.tsv).</p>" if len(segs) > len(shown) else ""
    table = (f"<table><thead><tr><th>seg</th><th>lang</th><th>status</th><th>reason</th><th>text</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>" if shown else "")
    return f"<details><summary>{len(segs)} unpaired or dropped segments</summary>{table}{more}</details>", len(shown)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _chosen_documents(results: list[DocumentResult], pictures: list[PathPicture]) -> list[int]:
    """Indices of the documents that get a picture: all, or the MAX_PICTURES with the
    largest share of unpaired sentences (in document order)."""
    if len(results) <= MAX_PICTURES:
        return list(range(len(results)))

    def weakness(k: int) -> tuple:
        pic = pictures[k]
        n = pic.n_zh + pic.n_en
        return (-(len(pic.unpaired_zh) + len(pic.unpaired_en)) / n if n else 0.0, k)

    return sorted(sorted(range(len(results)), key=weakness)[:MAX_PICTURES])


def _pictures(results: list[DocumentResult], pictures: list[PathPicture], chosen: list[int]) -> str:
    intro = ("<h2>Alignment paths</h2>\n<p>Chinese sentence index (x) against English index (y), dropped "
             "sentences included. A faithful translation runs along the dashed diagonal; a horizontal black "
             "run is Chinese text with no English, a vertical one English with no Chinese; a jump in the path "
             "is skipped or reordered text. The strip above each plot is the score along the Chinese text (black: "
             "unpaired, grey: dropped), so weak stretches show even where the path hugs the diagonal.</p>\n")
    if len(chosen) < len(results):
        intro += (f"<p class=\"note\">{len(results)} documents: pictures for the {len(chosen)} with the largest "
                  "share of unpaired sentences.</p>\n")
    figs = []
    budget = MAX_LISTED_TOTAL
    for k in chosen:
        res = results[k]
        pic = pictures[k]
        status = Counter(s.status for s in res.segments)
        stats = (f"<p>{pic.n_zh} zh · {pic.n_en} en sentences · {len(res.rows)} pairs · "
                 f"{status.get(UNPAIRED, 0)} unpaired · {status.get(DROPPED, 0)} dropped</p>")
        if res.error and not res.segments:
            drawing = f'<p class="note">Not processed: {_e(res.error)}</p>'
        elif not pic.n_zh or not pic.n_en:
            drawing = (f'<p class="note">No {"Chinese" if not pic.n_zh else "English"} sentences: '
                       "nothing to align.</p>")
        else:
            size = 300 if max(pic.n_zh, pic.n_en) <= 150 else 480
            drawing = path_svg(pic, size=size, title=f"alignment path of {res.doc_id}")
        listed, n = _unpaired_list(res, budget)
        budget -= n
        figs.append(f'<div class="doc" id="doc-{k}"><h3>{_e(res.doc_id)}</h3>{stats}{drawing}{listed}</div>')
    return intro + _legend() + '\n<div class="docs">\n' + "\n".join(figs) + "\n</div>"
