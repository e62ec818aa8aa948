"""Small inline-SVG pictures for the HTML report: alignment paths and a score histogram.

Pure string building, no I/O, deterministic (coordinates rounded to fixed decimals).
Sizes stay bounded whatever the input: the path picture snaps beads to a pixel grid
and draws one ``<path>`` per colour band, so thousands of beads cost a few kB.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from html import escape

# Score colour scale: red (0) -> yellow (0.5) -> blue (1), after ColorBrewer's RdYlBu.
_STOPS = ((0.0, (215, 48, 39)), (0.25, (252, 141, 89)), (0.5, (230, 200, 90)), (0.75, (145, 191, 219)),
          (1.0, (49, 54, 149)))
BANDS = 10  # beads are drawn in this many colour bands
MIN_BOX = 3  # pixels: smallest bead box drawn
UNPAIRED_COLOUR = "#000000"
DROPPED_COLOUR = "#9a9a9a"


def _band_colour(band: int) -> str:
    """Hex colour of a band's centre on the scale of ``_STOPS``."""
    s = (band + 0.5) / BANDS
    for (x0, c0), (x1, c1) in zip(_STOPS, _STOPS[1:]):
        if s <= x1:
            t = (s - x0) / (x1 - x0)
            rgb = tuple(round(a + (b - a) * t) for a, b in zip(c0, c1))
            return "#%02x%02x%02x" % rgb
    return "#%02x%02x%02x" % _STOPS[-1][1]


_BAND_COLOURS = tuple(_band_colour(band) for band in range(BANDS))  # a report colours ~10^5 beads and pixels


def score_colour(score: float) -> str:
    """Hex colour of a score in [0, 1] (clamped), quantised to its band's centre."""
    s = min(max(score, 0.0), 1.0)
    return _BAND_COLOURS[min(int(s * BANDS), BANDS - 1)]


@dataclass(frozen=True)
class PathBead:
    """A bead in side coordinates: ``zh``/``en`` are indices on the two axes."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float
    paired: bool  # False: scored below the threshold


@dataclass(frozen=True)
class PathPicture:
    """What one document's alignment path picture shows."""

    n_zh: int
    n_en: int
    beads: tuple[PathBead, ...]
    unpaired_zh: tuple[int, ...] = ()  # axis indices of sentences with no counterpart
    unpaired_en: tuple[int, ...] = ()
    dropped_zh: tuple[int, ...] = ()
    dropped_en: tuple[int, ...] = ()


def _f(x: float) -> str:
    """Fixed, short number formatting (deterministic, no '-0')."""
    s = f"{x:.1f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def skip_positions(beads: list[PathBead], unpaired: tuple[int, ...], side: str) -> list[tuple[int, int]]:
    """Where an unpaired sentence sits on the path: (own index, other-axis position).

    The other-axis position is where the path stands after the last bead before it
    on this side, so a run of skipped sentences draws as a straight run off the diagonal.
    """
    own = "zh" if side == "zh" else "en"
    other = "en" if side == "zh" else "zh"
    ordered = sorted(beads, key=lambda b: (min(getattr(b, own)), min(getattr(b, other))))
    starts = [min(getattr(b, own)) for b in ordered]
    ends_other, reach = [], 0
    for b in ordered:
        reach = max(reach, max(getattr(b, other)) + 1)
        ends_other.append(reach)
    out = []
    for i in unpaired:
        k = bisect.bisect_left(starts, i)
        out.append((i, ends_other[k - 1] if k else 0))
    return out


def path_svg(pic: PathPicture, size: int = 300, title: str = "") -> str:
    """Chinese sentence index (x, left to right) against English index (y, bottom to top).

    Beads are boxes coloured by score (hollow when below the threshold); unpaired
    sentences are black strokes along the path (horizontal: Chinese skipped, vertical:
    English skipped); dropped sentences are grey ticks outside the axes.
    """
    m_left, m_bottom, m_top, m_right = 44, 40, 24, 10
    w = h = size
    sx = w / max(pic.n_zh, 1)
    sy = h / max(pic.n_en, 1)

    def px(i: float) -> float:
        return m_left + i * sx

    def py(j: float) -> float:
        return m_top + h - j * sy

    def box(b: PathBead) -> tuple[int, int, int, int]:
        """Bead rectangle snapped to whole pixels, grown about its centre to at least
        MIN_BOX pixels so a bead's colour stays visible in a long document."""
        x0, x1 = px(min(b.zh)), px(max(b.zh) + 1)
        y0, y1 = py(max(b.en) + 1), py(min(b.en))
        if x1 - x0 < MIN_BOX:
            x0, x1 = (x0 + x1 - MIN_BOX) / 2, (x0 + x1 + MIN_BOX) / 2
        if y1 - y0 < MIN_BOX:
            y0, y1 = (y0 + y1 - MIN_BOX) / 2, (y0 + y1 + MIN_BOX) / 2
        x0, y0 = round(x0), round(y0)
        return x0, y0, max(round(x1) - x0, 1), max(round(y1) - y0, 1)

    parts = [f'<svg class="path" width="{w + m_left + m_right}" '
             f'height="{h + m_top + m_bottom}" viewBox="0 0 {w + m_left + m_right} {h + m_top + m_bottom}" '
             f'role="img">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(f'<rect x="{m_left}" y="{m_top}" width="{w}" height="{h}" fill="#fafafa" stroke="#888"/>')
    # the diagonal a sentence-for-sentence translation would follow
    parts.append(f'<line x1="{m_left}" y1="{m_top + h}" x2="{m_left + w}" y2="{m_top}" stroke="#ddd" '
                 f'stroke-dasharray="4 3"/>')

    filled: dict[str, set] = {}
    hollow: dict[str, set] = {}
    for b in pic.beads:
        (filled if b.paired else hollow).setdefault(score_colour(b.score), set()).add(box(b))
    for colour in sorted(hollow):  # under the paired beads
        d = "".join(f"M{x} {y}h{bw}v{bh}h{-bw}z" for x, y, bw, bh in sorted(hollow[colour]))
        parts.append(f'<path class="bead low" fill="none" stroke="{colour}" stroke-width="1.2" d="{d}"/>')
    for colour in sorted(filled):
        d = "".join(f"M{x} {y}h{bw}v{bh}h{-bw}z" for x, y, bw, bh in sorted(filled[colour]))
        parts.append(f'<path class="bead" fill="{colour}" stroke="{colour}" stroke-width="0.5" d="{d}"/>')

    parts.append(_ribbon(pic, m_left, m_top - 16, w, 10))

    beads = list(pic.beads)
    skips = set()
    for i, j in skip_positions(beads, pic.unpaired_zh, "zh"):
        skips.add((round(px(i)), round(py(j)), round(px(i + 1)), round(py(j))))
    for j, i in skip_positions(beads, pic.unpaired_en, "en"):
        skips.add((round(px(i)), round(py(j)), round(px(i)), round(py(j + 1))))
    if skips:
        d = "".join(f"M{x0} {y0}L{x1} {y1}" for x0, y0, x1, y1 in sorted(skips))
        parts.append(f'<path class="unpaired" fill="none" stroke="{UNPAIRED_COLOUR}" stroke-width="2.5" '
                     f'stroke-linecap="square" d="{d}"/>')

    # dropped sentences: grey ticks below the x axis and left of the y axis
    ticks = sorted({(round(px(i + 0.5)), 0) for i in pic.dropped_zh} | {(0, round(py(j + 0.5))) for j in pic.dropped_en})
    if ticks:
        d = "".join(f"M{x} {m_top + h + 2}v6" if y == 0 else f"M{m_left - 8} {y}h6" for x, y in ticks)
        parts.append(f'<path class="dropped" stroke="{DROPPED_COLOUR}" stroke-width="1.5" d="{d}"/>')

    # axes: ticks at 0 and n, labels
    parts.append(f'<text x="{m_left}" y="{m_top + h + 20}" class="ax">0</text>')
    parts.append(f'<text x="{m_left + w}" y="{m_top + h + 20}" class="ax" text-anchor="end">{pic.n_zh}</text>')
    parts.append(f'<text x="{m_left + w / 2:.0f}" y="{m_top + h + 34}" class="ax" text-anchor="middle">'
                 f'Chinese sentence →</text>')
    parts.append(f'<text x="{m_left - 12}" y="{m_top + h}" class="ax" text-anchor="end">0</text>')
    parts.append(f'<text x="{m_left - 12}" y="{m_top + 10}" class="ax" text-anchor="end">{pic.n_en}</text>')
    parts.append(f'<text class="ax" text-anchor="middle" transform="translate({m_left - 20} {m_top + h / 2:.0f}) '
                 f'rotate(-90)">English sentence →</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(scores: list[float], threshold: float, bins: int = 20, width: int = 560,
                  height: int = 200, what: str = "Bead scores", items: str = "beads") -> str:
    """Scores in [0, 1] (bead scores unless ``what`` says otherwise) in ``bins`` equal bins,
    bars coloured by score, threshold marked."""
    counts = [0] * bins
    for s in scores:
        counts[min(max(int(s * bins), 0), bins - 1)] += 1
    top = max(counts) if counts and max(counts) > 0 else 1
    m_left, m_bottom, m_top, m_right = 44, 36, 22, 10
    bw = width / bins
    parts = [f'<svg class="hist" width="{width + m_left + m_right}" '
             f'height="{height + m_top + m_bottom}" viewBox="0 0 {width + m_left + m_right} '
             f'{height + m_top + m_bottom}" role="img">',
             f"<title>{what}: {len(scores)} {items}; threshold {threshold:.2f}</title>",
             f'<line x1="{m_left}" y1="{m_top + height}" x2="{m_left + width}" y2="{m_top + height}" stroke="#888"/>']
    for k, c in enumerate(counts):
        if not c:
            continue
        bh = height * c / top
        x = m_left + k * bw
        parts.append(f'<rect x="{_f(x + 1)}" y="{_f(m_top + height - bh)}" width="{_f(bw - 2)}" height="{_f(bh)}" '
                     f'fill="{score_colour((k + 0.5) / bins)}"><title>{k / bins:.2f}–{(k + 1) / bins:.2f}: '
                     f'{c}</title></rect>')
        parts.append(f'<text x="{_f(x + bw / 2)}" y="{_f(m_top + height - bh - 3)}" class="ax" '
                     f'text-anchor="middle">{c}</text>')
    for k in range(0, 11, 2):
        x = m_left + width * k / 10
        parts.append(f'<text x="{_f(x)}" y="{m_top + height + 16}" class="ax" text-anchor="middle">{k / 10:.1f}</text>')
    tx = m_left + width * min(max(threshold, 0.0), 1.0)
    parts.append(f'<line class="threshold" x1="{_f(tx)}" y1="{m_top - 14}" x2="{_f(tx)}" y2="{m_top + height}" '
                 f'stroke="#000" stroke-width="1.5" stroke-dasharray="5 3"/>')
    parts.append(f'<text x="{_f(tx + 4)}" y="{m_top - 6}" class="ax">min_score {threshold:.2f}</text>')
    parts.append(f'<text x="{m_left + width / 2:.0f}" y="{m_top + height + 32}" class="ax" '
                 f'text-anchor="middle">bead score</text>')
    parts.append("</svg>")
    return "".join(parts)


def ribbon_values(pic: PathPicture) -> list[float | None]:
    """Per Chinese sentence: its bead's score, -1 when unpaired, None when dropped."""
    values: list[float | None] = [None] * pic.n_zh
    for b in pic.beads:
        for i in b.zh:
            values[i] = b.score
    for i in pic.unpaired_zh:
        values[i] = -1.0
    return values


def _ribbon(pic: PathPicture, x: float, y: float, width: int, height: int) -> str:
    """A strip above the plot: the score along the Chinese text, so weak stretches stand
    out even when the path hugs the diagonal. A pixel shared by several sentences shows
    the worst of them; runs of one colour are one rectangle (at most ``width`` of them)."""
    values = ribbon_values(pic)
    if not values:
        return ""
    pixels: list[float | None] = [None] * width
    for i, v in enumerate(values):
        if v is None:
            continue
        lo = int(i * width / len(values))
        hi = max(int((i + 1) * width / len(values)), lo + 1)
        for p in range(lo, min(hi, width)):
            pixels[p] = v if pixels[p] is None else min(pixels[p], v)

    colours = [DROPPED_COLOUR if v is None else UNPAIRED_COLOUR if v < 0 else score_colour(v) for v in pixels]
    runs: dict[str, list[str]] = {}
    start = 0
    for p in range(1, width + 1):
        if p == width or colours[p] != colours[start]:
            runs.setdefault(colours[start], []).append(f"M{_f(x + start)} {_f(y)}h{p - start}v{height}h{start - p}z")
            start = p
    rects = [f'<path fill="{c}" d="{"".join(d)}"/>' for c, d in sorted(runs.items())]
    return ('<g class="ribbon"><title>score along the Chinese text (black: unpaired, grey: dropped)</title>'
            + "".join(rects) + "</g>")
