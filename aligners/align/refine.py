"""Alignment-guided sentence splitting: a Chinese sentence cut at clause marks where the
English side of its bead has more sentences that its clauses translate in order.

Translators join and split sentences: an English ``A. B.`` becomes ``甲；乙。`` or
``他说：“乙。”`` (or the reverse), and no sentence splitter can see that boundary from
one side alone. The aligner then makes a 1-2 bead, where the reference (and a reader)
wants two pairs. After the document is aligned, every bead with two or more English
sentences whose Chinese sentences have candidate cuts (``clause_cuts``) is re-examined,
and two neighbouring beads where a sentence at the boundary between them has cuts (so
that a piece can join the neighbouring bead: ``甲。乙说：“丙。”`` against ``A, B said.
"C."``), after the divisive splitting of aligned chunks at punctuation by Deng,
Kumar & Byrne (2007, "Segmentation and alignment of parallel text for statistical
machine translation"): a DP over the stretch's "atoms" (its Chinese sentences cut at
every candidate cut) and its English sentences finds the cheapest path, by the
aligner's own bead cost (dp.py: lexical cosine, Gale-Church length term, bead type
penalty) and bead types, that cuts at least one sentence; a piece may pair with several
English sentences, and a new bead may hold several Chinese sentences or pieces. The
change is kept when each new bead scores higher, by the aligner's confidence model
(confidence.py: the estimated probability that a bead is right), than every old bead it
shares a sentence with: the two cannot both be right. So no threshold is added. Each
candidate is scored with the rest of the alignment as it is; of candidates that share a
bead, the one with the larger least gain is made. (Also asking that the new path cost
less than the old beads, by the DP's cost, lost 0.010 on MAC-Dev raw/; asking it of the
neighbour stretches only, 0.002: bench/e2e_macdev.py.)

A cut is only made where the piece before it is a sentence in its own right: after
；：, a dash or an ellipsis, a sentence mark the splitter declined, or a closing
quotation mark that more text follows; never after a comma or an enumeration comma
(，、), nor before an opening quotation mark (the lead-in of direct speech, ``海老公哼了一声，
道：``, waits for its quotation), nor after an ellipsis inside a quotation (a speaker's
pause, ``“我叫……叫小玄子。”``), so that a fragment of a sentence is never a pair side.
Cut before opening quotes and at such pauses, MAC-Dev raw/ and mixed/ scored 0.8619 and
0.8751, against 0.8608 and 0.8741 without those cuts, while 60 of its reference Chinese
sentences lay in two or more output pairs, against 13 (bench/e2e_macdev.py, which joins
such pieces back before scoring; news-dev raw/ 0.9560 both ways). MAC-Dev's reference cuts Chinese sentences at just those marks (of its
1,463 Chinese units one ends in a comma). Measured by bench/e2e_macdev.py and
bench/e2e_news.py --only raw (strict F1, MAC raw/ / mixed/ / news raw/): cutting at
commas and before opening quotes too 0.819 / 0.826 / 0.958 (comma-ended pieces join
neighbouring beads), at sentence marks only 0.863 / 0.876 / 0.954; news-dev's reference
pairs a dozen comma-ended pieces (``他是自由的，`` with ``He is free.``).

Where a translator's sentence lost its final mark (``……观看特朗普西弗吉尼亚在线集会特朗普
可能宣布……`` against ``… rally online below via live stream on YouTube. Trump is likely
to address …``), the English side shows where it ended: in a bead with more English than
Chinese sentences, a Chinese sentence may also be cut where no mark is, right before the
word that translates the first word of one of the bead's later English sentences, when no
comma comes before it in the sentence (``opening_cuts``). The first word must be a content
word: function words such as 他 or 在 recur inside sentences. bench/e2e_news.py --only raw
0.9536 -> 0.9560 (three cuts, each a reference unit's end); none made on MAC-Dev
(bench/e2e_macdev.py unchanged) nor on raw-tw/. Offering every word boundary there
instead gave 0.9560 too, with twelve more Chinese pieces ending inside a reference unit
(``她说“感觉很``, ``主持人克里斯·华莱士问``); before any occurrence of the word, after commas
too, 0.9567, but nine fragments on MAC-Dev (``好，你`` / ``过来！`` for "Very well. Come
over here!"), which its scorer does not count (it joins the pieces of a unit paired apart).

Only Chinese sentences are cut (``SPLIT_SIDES``): Chinese joins sentences with commas
where English ends them (run-on "flowing" sentences, 流水句), while an English sentence
end is marked unambiguously and English references keep the English sentence whole.
Measured on news-dev's Traditional translation (bench/e2e_news.py --only tw, English
side against the gold): cutting English sentences at commas too gave 0.962, Chinese
only 0.979. Cutting them by the Chinese side's rule (after ; and :, at a dash between
words, after a declined ? or !) gained 0.001 on MAC-Dev raw/ (bench/e2e_macdev.py),
most of it where the reference keeps the English sentence whole, lost 0.0005 on raw-tw/,
and its cuts on news-dev were mostly at parenthetical dashes (``Rep. Conor Lamb - who
won ... -``), which leave English fragments as pair sides: not done.

Both hypotheses are scored with the same vectors: the sentence's vector is the sum of
the vectors of its atoms, a piece's vector is a sum of atoms, and the comparison does
not depend on how a piece would be segmented into words on its own. The vectors are
the search's (search.DocumentFeatures): an atom's are its sentence's words, as the
search segmented them, in the document's vocabulary; nothing is segmented or built a
second time. The other beads keep their scores.
"""
from __future__ import annotations

import math
from itertools import accumulate
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import regex

from aligners.config import AlignConfig
from aligners.text.split import speaker_label_end
from aligners.types import Bead

# Candidate cuts (Chinese), where the piece before is a sentence in its own right (see the
# module docstring): after ；：, a dash, an ellipsis or a sentence mark the sentence splitter
# declined (with the closing quotes and brackets that follow it), and after a closing
# quotation mark that text follows (``“……效果”HER2``); ``clause_cuts`` drops those before an
# opening quotation mark and after an ellipsis inside a quotation. Inner quotes (’』) and
# book titles (》) close terms, not sentences.
_ZH_CUT = regex.compile(
    r"(?:[；;]|(?<!\d)[：:]|[：:](?!\d)|[—–]+|…+|\.{3,}|[。！？!?]+)[”’」』）)》〉\]\"']*[ \t]*"
    r"|(?<=\S)[”」\"]+(?=[\p{Han}\p{L}\p{N}“「『（(《])"
)
_EN_CUT = regex.compile(
    r"(?:[,;:]|[.!?…]+)[\"”’')\]]*[ \t]+"
    r"|[ \t]+[—–-]+[ \t]+"
    r"|(?<=\p{L})[—–]+(?=\p{L})"
    r"|(?<=\S)[\"”][ \t]+"
)
_WORD = regex.compile(r"[\p{L}\p{N}]")
_OPENING_QUOTE = regex.compile(r"[ \t]*[“「『\"]")
SPLIT_SIDES = ("zh",)  # the sides whose sentences are cut (see the module docstring)


def clause_cuts(text: str, lang: str) -> list[int]:
    """Offsets in ``text`` where a piece may start: after a clause boundary, with letters
    or digits on both sides of it."""
    pattern = _ZH_CUT if lang == "zh" else _EN_CUT
    label = speaker_label_end(text) if lang == "zh" else 0
    cuts = []
    for m in pattern.finditer(text):
        at = m.end()
        if lang == "zh":
            if _OPENING_QUOTE.match(text, at):
                continue  # a lead-in of direct speech: "他说：" is no sentence without its quotation
            if m.start() < label <= at:
                continue  # a transcript's speaker or a field name: "客服：能开发票吗"
            if m.group()[0] in "….":
                if _inside_quotation(text, m.start()):
                    continue  # a speaker's pause: "“我叫……叫小玄子。”"
        if 0 < at < len(text) and _WORD.search(text, 0, m.start()) and _WORD.search(text, at):
            if not cuts or cuts[-1] != at:
                cuts.append(at)
    return cuts


def _inside_quotation(text: str, at: int) -> bool:
    """Whether a curly or corner quotation opened before ``at`` is still open there."""
    head = text[:at]
    return head.count("“") + head.count("「") > head.count("”") + head.count("」")


_STRUCTURAL_PARTICLES = "的地得之"
_COMMAS = "，,、"


def opening_cuts(text: str, words: Sequence[str], translations: Sequence[Sequence[int]],
                 openings: set[int]) -> list[int]:
    """Offsets in ``text``, a Chinese sentence segmented into ``words``, where a piece may
    start although no mark is there: before the last word whose translations
    (``translations``, English vocabulary columns, one list per word) include one of
    ``openings`` (the first word of a later English sentence: an earlier occurrence may
    belong to the sentence before, ``观看特朗普……集会特朗普可能``), when

    - a letter, digit or Han character comes before it (white space between allowed) that
      is not a structural particle: 的 地 得 之 bind what comes before them to the word
      after (``这个国家的许多富裕地区``, "many wealthy areas of the country");
    - no comma comes before it in the sentence: a Chinese sentence that joins clauses with
      commas where English ends sentences (``好，你过来！``, "Very well. Come over here!") has
      its boundary at a comma, where no cut is made, and a cut before the word would split
      a clause (``好，你`` / ``过来！``).

    [] when the words are not found in the text in order."""
    last: dict[int, int] = {}  # opening column -> where its last word starts
    pos = 0
    for word, cols in zip(words, translations):
        at = text.find(word, pos)
        if at < 0:
            return []
        pos = at + len(word)
        for c in openings.intersection(cols):
            last[c] = at
    comma = min((i for i in map(text.find, _COMMAS) if i >= 0), default=len(text))
    cuts = set()
    for at in last.values():
        q = at - 1
        while q > 0 and text[q] in " \t\u3000":
            q -= 1
        if 0 < at <= comma and _WORD.match(text, q) and text[q] not in _STRUCTURAL_PARTICLES:
            cuts.add(at)
    return sorted(cuts)


def _opening_cuts_of(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], features) -> dict[int, list[int]]:
    """``opening_cuts`` of the Chinese sentences of every bead with more English sentences
    than Chinese, against the first words of its English sentences after the first, from
    the search's word look-ups (features.WordEntries)."""
    from .english import WORD, content_tokens

    entries, vocab = features.zh_entries, features.vocab
    out: dict[int, list[int]] = {}
    for b in beads:
        if not b.src or len(b.tgt) <= len(b.src):
            continue
        openings = set()
        for j in b.tgt[1:]:
            first = WORD.search(en[j])
            if first:
                openings.update(vocab[t] for t in content_tokens(first.group(0)) if t in vocab)
        if not openings:
            continue
        for i in b.src:
            ids = entries.ids[entries.start[i]: entries.start[i + 1]].tolist()
            translations = [entries.cols[entries.entry_start[w]: entries.entry_start[w] + entries.entry_count[w]].tolist()
                            for w in ids]
            cuts = opening_cuts(zh[i], features.zh_words[i], translations, openings)
            if cuts:
                out[i] = cuts
    return out


def pieces(text: str, cuts: Sequence[int]) -> list[str]:
    """``text`` cut at ``cuts``, each piece stripped of white space."""
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]


@dataclass(frozen=True)
class Split:
    """Sentence ``index`` of side ``lang`` cut at ``cuts`` (offsets into its text)."""

    lang: str  # "zh" or "en"
    index: int
    cuts: tuple[int, ...]


@dataclass(frozen=True)
class Refinement:
    """The splits, and the beads over the refined sentence lists (each split sentence
    replaced by its pieces, in place)."""

    splits: tuple[Split, ...]
    beads: tuple[Bead, ...]

    def numbering(self, n_zh: int, n_en: int) -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        """Per original sentence of each side, its numbers in the refined lists."""
        return _numbering(self.splits, "zh", n_zh), _numbering(self.splits, "en", n_en)


def _numbering(splits, lang: str, n: int) -> list[tuple[int, ...]]:
    count = {s.index: len(s.cuts) + 1 for s in splits if s.lang == lang}
    out, k = [], 0
    for i in range(n):
        c = count.get(i, 1)
        out.append(tuple(range(k, k + c)))
        k += c
    return out


class _Vectors:
    """The sentences' vectors (the search's matrices) and lengths (``_length``), the atoms'
    vectors (the text between two candidate cuts, dicts column -> weight) and lengths of
    some sentences (``atoms``: sentence -> its cuts), in the document's English
    vocabulary, and the length term's ratio: all from the search's features, built once."""

    def __init__(self, zh: Sequence[str], en: Sequence[str], features, atoms: dict[int, Sequence[int]],
                 config: AlignConfig):
        from .features import chinese_vectors, vectors_of_words

        self.zh, self.en = features.level.zh, features.level.en
        self.zh_len, self.en_len = [_length(t) for t in zh], [_length(t) for t in en]
        self._en_rows: dict[int, dict[int, float]] = {}
        self.ratio = features.length_ratio
        self.zh_para_start, self.en_para_start = features.level.zh_para_start, features.level.en_para_start
        entries = features.zh_entries
        texts, ids, counts, place = [], [], [], []  # atoms made of the search's words (their numbers in entries)
        other_texts, other_words, other_place = [], [], []  # atoms of a sentence whose words are not found in it
        self.atom_len = {}
        for i, cuts in atoms.items():
            parts = pieces(zh[i], cuts)
            self.atom_len[i] = [_length(t) for t in parts]
            n = len(texts) + len(other_texts)
            shares = _atom_word_counts(zh[i], features.zh_words[i], cuts)
            if shares is None:
                other_texts += parts
                other_words += _segment(parts)
                other_place += range(n, n + len(parts))
            else:
                texts += parts
                counts += shares
                place += range(n, n + len(parts))
                ids.append(entries.ids[entries.start[i]: entries.start[i + 1]])
        made: list = [None] * (len(texts) + len(other_texts))
        if texts:
            rows = vectors_of_words(texts, np.concatenate(ids), counts, entries, features.vocab, features.weight,
                                    config.features)
            for p, row in zip(place, _rows(rows)):
                made[p] = row
        if other_texts:
            rows = chinese_vectors(other_texts, other_words, features.vocab, features.weight, config.features)
            for p, row in zip(other_place, _rows(rows)):
                made[p] = row
        self.atoms, n = {}, 0  # sentence -> its atoms' vectors
        for i, cuts in atoms.items():
            self.atoms[i], n = made[n: n + len(cuts) + 1], n + len(cuts) + 1


    def en_row(self, j: int) -> dict[int, float]:
        """English sentence ``j``'s vector as a dict."""
        if j not in self._en_rows:
            self._en_rows[j] = _row(self.en, j)
        return self._en_rows[j]


def _atom_word_counts(text: str, words: Sequence[str], cuts: Sequence[int]) -> list[int] | None:
    """How many of the sentence's words (as the search segmented it, in order) fall in each
    of its atoms, by where each word starts; None when a word is not found in the text in order."""
    bounds = [0, *cuts, len(text)]
    out = [0] * (len(cuts) + 1)
    pos = k = 0
    for w in words:
        at = text.find(w, pos)
        if at < 0:
            return None
        while at >= bounds[k + 1] and k < len(cuts):
            k += 1
        out[k] += 1
        pos = at + len(w)
    return out


def _segment(texts: list[str]) -> list[list[str]]:
    from .chinese import segment_many

    return segment_many(texts)


def search_features(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], config: AlignConfig):
    """The features ``search.align_document`` returns, built again for a refinement called
    without them (its paths are scored without paragraph terms, so none are set)."""
    from .dp import LevelInput, LevelStats
    from .features import build_features
    from .params import fine_params
    from .search import DocumentFeatures, reestimated_ratio

    zf, ef, info = build_features(list(zh), list(en), config.features)
    level = LevelInput(zf.vectors, ef.vectors, zf.lengths, ef.lengths)
    params = fine_params(config)
    stats = LevelStats(level, max(a for a, _ in params.beads), max(b for _, b in params.beads))
    ratio = reestimated_ratio([(b.src, b.tgt) for b in beads], stats) or stats.ratio
    return DocumentFeatures(level, ratio, info["zh_words"], info["zh_entries"], info["vocab"], info["weight"])


def _rows(m) -> list[dict[int, float]]:
    ptr, cols, vals = m.indptr.tolist(), m.indices.tolist(), m.data.astype(np.float64).tolist()
    return [dict(zip(cols[a:b], vals[a:b])) for a, b in zip(ptr, ptr[1:])]


def _row(m, r: int) -> dict[int, float]:
    a, b = int(m.indptr[r]), int(m.indptr[r + 1])
    return dict(zip(m.indices[a:b].tolist(), m.data[a:b].astype(np.float64).tolist()))


def _length(text: str) -> int:
    """Characters but white space (str.split's white space is the same as ``\\s``'s)."""
    return len("".join(text.split()))


def _add(vectors) -> dict[int, float]:
    out: dict[int, float] = {}
    for v in vectors:
        for c, w in v.items():
            out[c] = out.get(c, 0.0) + w
    return out


class _Bead:
    """One bead's Chinese atoms (its sentences cut at every candidate cut) against its
    English sentences, with the prefix sums that give any group's cosine."""

    def __init__(self, atoms: list[dict], atom_len: list[int], atom_sentence: list[int],
                 others: list[dict], other_len: list[int], paragraphs=None):
        n, k = len(atoms), len(others)
        # (atom starts a paragraph, English sentence starts one), when both sides' paragraphs are known
        self.paragraphs = paragraphs
        self.n, self.k = n, k
        self.sentence = atom_sentence  # the bead's sentence (0, 1, ...) each atom belongs to
        cols = {c: m for m, c in enumerate(sorted({c for v in (*atoms, *others) for c in v}))}
        A, E = _dense(atoms, cols), _dense(others, cols)
        D, G, H = A @ E.T, A @ A.T, E @ E.T
        # as Python floats and ints: the same IEEE arithmetic as numpy's scalars, at a fraction of the cost
        self.Dc, self.Gc, self.Hc = _prefix(D).tolist(), _prefix(G).tolist(), _prefix(H).tolist()
        self.lc = list(accumulate(atom_len, initial=0))
        self.oc = list(accumulate(other_len, initial=0))


def _dense(rows: list[dict], cols: dict[int, int]) -> np.ndarray:
    """The dict rows as a dense matrix, a dict's column c in column ``cols[c]``."""
    out = np.zeros((len(rows), len(cols)))
    out[np.repeat(np.arange(len(rows)), [len(v) for v in rows]), [cols[c] for v in rows for c in v]] = \
        [w for v in rows for w in v.values()]
    return out


def _prefix(m: np.ndarray) -> np.ndarray:
    out = np.zeros((m.shape[0] + 1, m.shape[1] + 1))
    out[1:, 1:] = m.cumsum(0).cumsum(1)
    return out


def _block(c: list[list[float]], r0: int, r1: int, c0: int, c1: int) -> float:
    """Sum of the block rows r0..r1-1, columns c0..c1-1 of the matrix with 2-D prefix sums ``c``."""
    return c[r1][c1] - c[r0][c1] - c[r1][c0] + c[r0][c0]


def _bead_types(params) -> dict[int, list[tuple[int, float, float]]]:
    """Per number a of Chinese sentences, the bead types' (b, size term, penalty) with b > 0,
    b descending: what ``_best_split`` reads of the DP's parameters."""
    pen = params.penalties
    return {a: [(b, ((a + b) / 2.0) ** params.size_power, pen[(a, b)])
                for b in sorted((b for a_, b in pen if a_ == a and b > 0), reverse=True)] for a in {a for a, _ in pen}}


def _best_split(bead: _Bead, inner: set[int], params, ratio: float, widths=None):
    """The groups ((first atom, end), (first English sentence, end)) of the cheapest path of
    two or more beads through the bead's atoms and English sentences that cuts a sentence
    at least once (a group boundary in ``inner``, the atom boundaries inside a sentence),
    each group of atoms paired with one or more English sentences. None when there is no
    such path."""
    n, k = bead.n, bead.k
    # best[(g, j, cut)]: cheapest way to pair atoms 0..g-1 with sentences 0..j-1; cut: a boundary in inner
    best = {(0, 0, False): (0.0, None)}
    pen = params.penalties
    max_a = max(a for a, _ in pen)
    max_b = max(b for _, b in pen)
    # dp.shape_cost and dp.Evidence's paragraph term, term for term, with what depends on one
    # side only computed once per group
    w_sim, w_len, len_var, para_cost = params.w_sim, params.w_len, params.len_var, params.para_cost
    zs, es = bead.paragraphs if bead.paragraphs is not None and para_cost else (None, None)
    Dc, sent = bead.Dc, bead.sentence
    widths = _bead_types(params) if widths is None else widths  # b descending: j0 ascending
    # english[j0][j]: (squared norm, length, length / ratio) of English sentences j0..j-1
    english = [[None] * (k + 1) for _ in range(k + 1)]
    for j in range(1, k + 1):
        for j0 in range(max(j - max_b, 0), j):
            el = bead.oc[j] - bead.oc[j0]
            english[j0][j] = (max(_block(bead.Hc, j0, j, j0, j), 0.0), el, el / ratio)
    first_atom = [sent.index(s) for s in range(sent[-1] + 1)] if n else []
    for g in range(1, n + 1):
        low = first_atom[max(sent[g - 1] - max_a + 1, 0)]  # a group spans at most max_a sentences
        chinese = []
        for g0 in range(low, g):
            zl = bead.lc[g] - bead.lc[g0]
            chinese.append((g0, widths.get(sent[g - 1] - sent[g0] + 1, ()), max(_block(bead.Gc, g0, g, g0, g), 0.0),
                            zl, ratio * zl, g0 in inner, Dc[g0]))
        Dg = Dc[g]
        for j in range(1, k + 1):
            cut_key = (g, j, True)
            for g0, types, zz, zl, rzl, boundary, Dg0 in chinese:
                free_key = (g, j, boundary)
                for b, size, penalty in types:  # the bead types with this many Chinese sentences
                    j0 = j - b
                    if j0 < 0:
                        continue
                    free, cut_before = best.get((g0, j0, False)), best.get((g0, j0, True))
                    if free is None and cut_before is None:
                        continue
                    ee, el, el_r = english[j0][j]
                    denom = math.sqrt(zz * ee)
                    cos = (Dg[j] - Dg0[j] - Dg[j0] + Dg0[j0]) / denom if denom > 0 else 0.0  # as _block
                    mean = (zl + el_r) / 2.0
                    delta = (el - rzl) / math.sqrt(len_var * (mean + 1.0))
                    c = w_sim * (1.0 - cos) * size + w_len * delta * delta / 2.0 + penalty
                    if zs is not None:
                        c += para_cost * ((zs[g0] != es[j0]) + any(zs[g0 + 1:g]) + any(es[j0 + 1:j]))
                    if not math.isfinite(c):
                        continue
                    if free is not None:
                        total = free[0] + c
                        old = best.get(free_key)
                        if old is None or total < old[0]:
                            best[free_key] = (total, (g0, j0, False))
                    if cut_before is not None:
                        total = cut_before[0] + c
                        old = best.get(cut_key)
                        if old is None or total < old[0]:
                            best[cut_key] = (total, (g0, j0, True))
    if (n, k, True) not in best:
        return None
    groups, at = [], (n, k, True)
    while best[at][1] is not None:
        g0, j0, cut = best[at][1]
        groups.append(((g0, at[0]), (j0, at[1])))
        at = (g0, j0, cut)
    return tuple(reversed(groups))


@dataclass(frozen=True)
class _Candidate:
    first: int  # the beads first..last of the alignment that it replaces
    last: int
    splits: tuple[Split, ...]  # the sentences that are cut
    vectors: dict  # sentence index -> its pieces' vectors (sums of atoms)
    shape: tuple[tuple[int, int], ...]  # (Chinese pieces, English sentences) of each new bead
    overlaps: tuple[tuple[int, ...], ...]  # per new bead, the replaced beads it shares a sentence with (empty: unchanged)
    lengths: dict  # sentence index -> its pieces' lengths (sums of atoms': ``_length`` counts characters)



def _windows(zh, beads, config, openings: dict[int, list[int]] | None = None) -> list[tuple[int, int, list]]:
    """(first, last, [(sentence, its cuts)]) of the stretches of beads re-examined: every bead
    with two or more English sentences whose Chinese sentences have cuts, and two
    neighbouring beads where the last Chinese sentence of the first or the first of the
    second has cuts, so that a piece can join the neighbouring bead; null beads are left out.
    A sentence's cuts are its ``clause_cuts`` and its ``openings`` (``opening_cuts``)."""
    out = []
    cuts_of = {}
    openings = openings or {}
    for k, b in enumerate(beads):
        if b.src and b.tgt:
            cuts_of[k] = [(i, sorted({*clause_cuts(zh[i], "zh"), *openings.get(i, ())})) for i in b.src]
    for k, cuts in cuts_of.items():
        if len(beads[k].tgt) >= 2 and any(c for _, c in cuts):
            out.append((k, k))
        # a piece can join the next bead only from the last sentence of this one, and the reverse
        if k + 1 in cuts_of and (cuts[-1][1] or cuts_of[k + 1][0][1]):
            out.append((k, k + 1))
    return [(f, l, [t for k in range(f, l + 1) for t in cuts_of[k]]) for f, l in out]


def _candidates(zh, en, beads, config, features=None) -> tuple[list[_Candidate], "_Vectors | None"]:
    """For every stretch of ``_windows``, the cheapest way (by the DP's bead cost) to cut its
    Chinese sentences into pieces that pair in order with one or more of its English
    sentences each."""
    from .params import fine_params

    params = fine_params(config)
    if "zh" not in SPLIT_SIDES:
        return [], None
    if features is None and any(b.src and len(b.tgt) > len(b.src) for b in beads):
        features = search_features(zh, en, beads, config)
    todo = _windows(zh, beads, config, _opening_cuts_of(zh, en, beads, features) if features is not None else None)
    if not todo:
        return [], None
    if features is None:
        features = search_features(zh, en, beads, config)
    vec = _Vectors(zh, en, features, {i: c for _, _, cuts in todo for i, c in cuts}, config)
    widths = _bead_types(params)
    out = []
    for first, last, cuts in todo:
        sentence, inner = [], set()  # per atom its sentence (0, 1, ...); the atom boundaries inside a sentence
        for s, (i, c) in enumerate(cuts):
            inner.update(range(len(sentence) + 1, len(sentence) + len(c) + 1))
            sentence += [s] * (len(c) + 1)
        atoms = [a for i, _ in cuts for a in vec.atoms[i]]
        many = [j for k in range(first, last + 1) for j in beads[k].tgt]
        paragraphs = None
        if vec.zh_para_start is not None and vec.en_para_start is not None:
            paragraphs = ([bool(vec.zh_para_start[cuts[sentence[g]][0]]) and (g == 0 or sentence[g] != sentence[g - 1])
                           for g in range(len(sentence))], [bool(vec.en_para_start[j]) for j in many])
        atom_len = [n for i, _ in cuts for n in vec.atom_len[i]]
        bead = _Bead(atoms, atom_len, sentence, [vec.en_row(j) for j in many], [vec.en_len[j] for j in many],
                     paragraphs)
        groups = _best_split(bead, inner, params, vec.ratio, widths)
        if groups is None:
            continue
        bounds = {g0 for (g0, _), _ in groups[1:]}
        splits, vectors, lengths, shape = [], {}, {}, []
        for s, (i, c) in enumerate(cuts):
            lo = sentence.index(s)
            hi = lo + len(c) + 1
            chosen = [g for g in range(lo + 1, hi) if g in bounds]
            if chosen:
                splits.append(Split("zh", i, tuple(c[g - lo - 1] for g in chosen)))
                edges = [lo, *chosen, hi]
                vectors[i] = tuple(_add(atoms[a:b]) for a, b in zip(edges, edges[1:]))
                lengths[i] = tuple(sum(atom_len[a:b]) for a, b in zip(edges, edges[1:]))
        # pieces per group: the atoms' sentences' pieces that the group covers
        piece_of = []  # atom -> its piece number within the stretch
        n_piece = -1
        for g in range(len(sentence)):
            if g == 0 or g in bounds or sentence[g] != sentence[g - 1]:
                n_piece += 1
            piece_of.append(n_piece)
        # the replaced beads' ranges of atoms and of English sentences, to tell what a new bead overlaps
        ranges, g, j = {}, 0, 0
        for k in range(first, last + 1):
            n_atoms = sum(len(c) + 1 for i, c in cuts if i in beads[k].src)
            ranges[k] = ((g, g + n_atoms), (j, j + len(beads[k].tgt)))
            g, j = g + n_atoms, j + len(beads[k].tgt)
        overlaps = []
        for (g0, g1), (j0, j1) in groups:
            shape.append((piece_of[g1 - 1] - piece_of[g0] + 1, j1 - j0))
            olds = tuple(k for k, ((a0, a1), (b0, b1)) in ranges.items() if (a0 < g1 and g0 < a1) or (b0 < j1 and j0 < b1))
            overlaps.append(() if ranges.get(olds[0]) == ((g0, g1), (j0, j1)) else olds)
        while not overlaps[0]:  # a bead left as it was at either end: the candidate of a shorter stretch
            shape, overlaps, first = shape[1:], overlaps[1:], first + 1
        while not overlaps[-1]:
            shape, overlaps, last = shape[:-1], overlaps[:-1], last - 1
        c = _Candidate(first, last, tuple(splits), vectors, tuple(shape), tuple(overlaps), lengths)
        if all((c.first, c.last, c.splits, c.shape) != (o.first, o.last, o.splits, o.shape) for o in out[-4:]):
            out.append(c)
    return out, vec


def refine(zh: Sequence[str], en: Sequence[str], beads: Sequence[Bead], config: AlignConfig = AlignConfig(),
           accept: Callable[[Split], bool] | None = None, features=None) -> Refinement:
    """The splits worth making (those ``accept`` takes, when given) and the beads over the
    refined sentence lists: a split bead becomes two or more beads, scored by the
    confidence model; the others keep their sentences (renumbered) and their scores.

    A candidate split is kept when each of its beads scores higher than the merged bead
    did: the confidence model estimates the probability that a bead is right, and the
    merged bead and the split beads cannot both be right.
    """
    candidates, vec = _candidates(zh, en, beads, config, features)
    if not candidates:
        return Refinement((), tuple(beads))
    kept = []
    for c, scores in _scores_alone(beads, vec, candidates, config):
        gains = [sc - max(beads[k].score for k in olds) for sc, olds in zip(scores, c.overlaps) if olds]
        if gains and min(gains) > 0:
            kept.append((min(gains), c))
    chosen, taken = [], set()
    for _, c in sorted(kept, key=lambda t: (-t[0], t[1].first, t[1].last)):  # overlapping candidates: the surest
        # accept is asked only of the candidates that would be made (it compares texts: dear)
        if not taken & set(range(c.first, c.last + 1)) and (accept is None or all([accept(sp) for sp in c.splits])):
            chosen.append(c)
            taken.update(range(c.first, c.last + 1))
    if not chosen:
        return Refinement((), tuple(beads))
    chosen.sort(key=lambda c: c.first)
    path, fresh = _path(len(zh), len(en), beads, chosen)
    path = _scored(path, fresh, vec, chosen, config)
    return Refinement(tuple(sp for c in chosen for sp in c.splits), tuple(path))


def _scores_alone(beads, vec, candidates, config):
    """(candidate, the scores of the beads it makes) for every candidate, the rest of the
    alignment as it is. A bead's confidence features read ``confidence.CONTEXT`` paired
    beads on each side, each against pairings shifted by up to ``max(confidence.SHIFTS)``
    sentences: so each candidate is scored on the stretch of beads that far around it
    (``_stretch``), with its splits made, and the stretches of all candidates, placed one
    after the other, in one pass."""
    reach = _reach()
    zh, en = _Stack(vec.zh, vec.zh_len), _Stack(vec.en, vec.en_len)
    pairs, fresh = [], []
    for c in candidates:
        lo, hi = _stretch(beads, c.first, c.last, reach)
        z0 = min(i for b in beads[lo:hi] for i in b.src)
        e0 = min(j for b in beads[lo:hi] for j in b.tgt)
        z1 = max(i for b in beads[lo:hi] for i in b.src) + 1
        e1 = max(j for b in beads[lo:hi] for j in b.tgt) + 1
        # the window's sentences, the candidate's split ones replaced by their pieces, from here on
        zn, en_n, n_zh = {}, len(en.rows) - e0, len(zh.rows)
        for i in range(z0, z1):
            pieces_of = len(c.lengths[i]) if i in c.lengths else 1
            zn[i] = range(n_zh, n_zh + pieces_of)
            n_zh += pieces_of
        zh.splice(z0, z1, c.vectors, c.lengths)
        en.take(e0, e1)
        for b in beads[lo:c.first]:
            pairs.append((tuple(n for i in b.src for n in zn[i]), tuple(j + en_n for j in b.tgt)))
        src = [n for b in beads[c.first: c.last + 1] for i in b.src for n in zn[i]]
        tgt = [j + en_n for b in beads[c.first: c.last + 1] for j in b.tgt]
        fresh.append(range(len(pairs), len(pairs) + len(c.shape)))
        for a, n in c.shape:
            pairs.append((tuple(src[:a]), tuple(tgt[:n])))
            src, tgt = src[a:], tgt[n:]
        for b in beads[c.last + 1:hi]:
            pairs.append((tuple(n for i in b.src for n in zn[i]), tuple(j + en_n for j in b.tgt)))
    scores = path_scores(zh.csr(), zh.lengths, en.csr(), en.lengths, pairs, config, vec.ratio)
    return [(c, [scores[k] for k in ks]) for c, ks in zip(candidates, fresh)]


def _reach() -> int:
    """How many paired beads on each side of a bead its confidence features read (see ``_scores_alone``)."""
    from .confidence import CONTEXT, SHIFTS

    return CONTEXT + max(SHIFTS)


def _stretch(beads, first: int, last: int, reach: int) -> tuple[int, int]:
    """(lo, hi): beads lo..hi-1 are beads first..last and ``reach`` paired beads on each
    side (fewer at the ends), with the null beads among them."""
    lo, n = first, 0
    while lo > 0 and n < reach:
        lo -= 1
        n += bool(beads[lo].src and beads[lo].tgt)
    hi, n = last + 1, 0
    while hi < len(beads) and n < reach:
        n += bool(beads[hi].src and beads[hi].tgt)
        hi += 1
    return lo, hi


class _Stack:
    """The rows of a new sentence matrix (``sparse.Csr``) and their lengths, in order:
    rows of one matrix, or dicts (column -> weight), gathered in one step (``csr``)."""

    def __init__(self, m, lengths: Sequence[int]):
        self.m, self.base_len = m, lengths
        self.rows: list[int] = []  # a row of m, or n_rows + k: the k-th dict
        self.lengths: list[int] = []
        self.dicts: list[dict] = []

    def take(self, a: int, b: int) -> None:
        """Rows a..b-1 of the matrix."""
        self.rows += range(a, b)
        self.lengths += self.base_len[a:b]

    def add(self, rows: Sequence[dict], lengths: Sequence[int]) -> None:
        n = self.m.n_rows + len(self.dicts)
        self.rows += range(n, n + len(rows))
        self.dicts += rows
        self.lengths += lengths

    def splice(self, a: int, b: int, vectors: dict, piece_lengths: dict) -> None:
        """Rows a..b-1 of the matrix, a row in ``vectors`` replaced by its pieces' vectors."""
        for i in sorted(i for i in vectors if a <= i < b):
            self.take(a, i)
            self.add(vectors[i], piece_lengths[i])
            a = i + 1
        self.take(a, b)

    def csr(self):
        from .sparse import Csr

        m = self.m
        cols = [sorted(v) for v in self.dicts]
        sizes = np.array([len(c) for c in cols], np.int64)
        counts = np.concatenate([np.diff(m.indptr), sizes])
        ptr = np.concatenate([m.indptr[:-1], m.indptr[-1] + np.cumsum(sizes) - sizes])
        all_cols = np.concatenate([m.indices, np.fromiter((c for cs in cols for c in cs), np.int64)]).astype(np.int32)
        all_vals = np.concatenate([m.data, np.fromiter((v[c] for v, cs in zip(self.dicts, cols) for c in cs),
                                                       np.float64).astype(np.float32)])
        rows = np.array(self.rows, np.int64)
        n = counts[rows]
        indptr = np.zeros(len(rows) + 1, np.int64)
        np.cumsum(n, out=indptr[1:])
        at = np.repeat(ptr[rows] - indptr[:-1], n) + np.arange(indptr[-1])  # each entry's place in all_cols
        return Csr(indptr, all_cols[at], all_vals[at].astype(np.float32))


def _path(n_zh: int, n_en: int, beads, candidates) -> tuple[list[Bead], dict[int, list[int]]]:
    """The beads over ``n_zh`` and ``n_en`` sentences with the candidates' splits made, the
    beads they make scored 0; and, per split bead's number, the numbers of those beads."""
    splits = [sp for c in candidates for sp in c.splits]
    zh_num, en_num = _numbering(splits, "zh", n_zh), _numbering(splits, "en", n_en)
    by_first = {c.first: c for c in candidates}
    path, fresh, k = [], {}, 0
    while k < len(beads):
        c = by_first.get(k)
        if c is None:
            b = beads[k]
            path.append(Bead(tuple(n for i in b.src for n in zh_num[i]), tuple(n for j in b.tgt for n in en_num[j]),
                             b.score))
            k += 1
            continue
        src = [n for b in beads[c.first: c.last + 1] for i in b.src for n in zh_num[i]]
        tgt = [n for b in beads[c.first: c.last + 1] for j in b.tgt for n in en_num[j]]
        fresh[k] = list(range(len(path), len(path) + len(c.shape)))
        for a, n in c.shape:
            path.append(Bead(tuple(src[:a]), tuple(tgt[:n]), 0.0))
            src, tgt = src[a:], tgt[n:]
        k = c.last + 1
    return path, fresh


def _scored(path: list[Bead], fresh: dict[int, list[int]], vec, candidates, config) -> list[Bead]:
    """``path`` (from ``_path`` over the whole document) with its new beads scored as a
    confidence pass over the whole refined document would score them: on the stretches
    of ``_stretch`` around them (merged where they meet), placed one after the other."""
    vectors = {i: v for c in candidates for i, v in c.vectors.items()}
    lengths = {i: v for c in candidates for i, v in c.lengths.items()}
    whole = _Stack(vec.zh, vec.zh_len)
    whole.splice(0, vec.zh.n_rows, vectors, lengths)
    zh_m, zh_len = whole.csr(), whole.lengths
    reach = _reach()
    spans: list[list[int]] = []
    for ks in sorted(fresh.values()):
        lo, hi = _stretch(path, ks[0], ks[-1], reach)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    zh, en, part, where = _Stack(zh_m, zh_len), _Stack(vec.en, vec.en_len), [], []
    for lo, hi in spans:
        z0 = min(i for b in path[lo:hi] for i in b.src)
        z1 = max(i for b in path[lo:hi] for i in b.src) + 1
        e0 = min(j for b in path[lo:hi] for j in b.tgt)
        e1 = max(j for b in path[lo:hi] for j in b.tgt) + 1
        dz, de = len(zh.rows) - z0, len(en.rows) - e0
        where += range(lo, hi)
        part += [(tuple(i + dz for i in b.src), tuple(j + de for j in b.tgt)) for b in path[lo:hi]]
        zh.take(z0, z1)
        en.take(e0, e1)
    scores = dict(zip(where, path_scores(zh.csr(), zh.lengths, en.csr(), en.lengths, part, config, vec.ratio)))
    out = list(path)
    for k in (k for ks in fresh.values() for k in ks):
        out[k] = Bead(path[k].src, path[k].tgt, scores[k])
    return out


def path_scores(zh, zh_len: Sequence[int], en, en_len: Sequence[int], pairs: Sequence[tuple], config: AlignConfig,
                ratio: float | None = None) -> list[float]:
    """The confidence model's score of every bead (Chinese ids, English ids) of a path
    over sentences with these vectors (``sparse.Csr``) and lengths (as
    search.align_document scores its path), with this length ratio."""
    from .blas import one_blas_thread
    from .confidence import bead_scores
    from .dp import LevelInput, LevelStats
    from .params import fine_params
    from .search import path_evidence

    params = fine_params(config)
    with one_blas_thread():
        level = LevelInput(zh, en, np.array(zh_len, np.float64), np.array(en_len, np.float64), length_ratio=ratio)
        stats = LevelStats(level, max(a for a, _ in params.beads), max(b for _, b in params.beads))
        return bead_scores(path_evidence(level, params, pairs, stats), pairs)


# ---------------------------------------------------------------- segments


def raw_offset(text: str, raw: str, at: int) -> int | None:
    """The offset in ``raw`` (a segment's input text) matching offset ``at`` of ``text``
    (its normalised text), or None when normalisation changed the text around it."""
    return raw_offsets(text, raw, [at])[0]


def raw_offsets(text: str, raw: str, offsets: Sequence[int]) -> list[int | None]:
    """``raw_offset`` of each of ``offsets``, the two texts compared once (not at all when equal)."""
    if text == raw:
        return [at if 0 <= at <= len(text) else None for at in offsets]
    from difflib import SequenceMatcher

    opcodes = SequenceMatcher(None, text, raw, autojunk=False).get_opcodes()
    return [_raw_offset(opcodes, len(text), len(raw), at) for at in offsets]


def _raw_offset(opcodes, n_text: int, n_raw: int, at: int) -> int | None:
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal" and i1 <= at < i2:
            return j1 + at - i1
        if i1 <= at < i2 or (at == i2 and tag != "equal"):
            return j2 if at == i2 else None
    return n_raw if at == n_text else None


def split_segment(seg, cuts: Sequence[int]) -> list | None:
    """``seg`` cut at ``cuts`` (offsets into its normalised text) into pieces whose raw
    texts together hold every character of its raw text; None when a cut cannot be placed
    in the raw text with the same letters and digits on each side."""
    import dataclasses

    raw = seg.raw or seg.text
    texts = pieces(seg.text, cuts)
    raw_cuts = raw_offsets(seg.text, raw, cuts)
    if any(c is None for c in raw_cuts) or raw_cuts != sorted(set(raw_cuts)):
        return None
    raws = pieces(raw, raw_cuts)
    if any(len(_WORD.findall(t)) != len(_WORD.findall(r)) or not _WORD.search(t) for t, r in zip(texts, raws)):
        return None
    return [dataclasses.replace(seg, text=t, raw=r, flags=seg.flags + ("clause-split",)) for t, r in zip(texts, raws)]


def refine_segments(segments, zh: list, en: list, beads: Sequence[Bead], warnings: tuple = (),
                    config: AlignConfig = AlignConfig(), features=None):
    """(segments, (zh, en), beads, warnings) after ``refine``: each split sentence's segment
    replaced by its pieces, every segment numbered anew in reading order (so ``seg_id``
    keeps numbering a document's segments in order), the beads and the warnings' ranges
    over the new sides. A split whose cut cannot be placed in the raw text is not made."""
    import dataclasses

    from aligners.types import DROPPED

    side = {"zh": zh, "en": en}
    parts_of: dict[Split, list | None] = {}  # a sentence may be offered with other cuts by another candidate

    def accept(sp: Split) -> bool:
        if sp not in parts_of:
            parts_of[sp] = split_segment(side[sp.lang][sp.index], sp.cuts)
        return parts_of[sp] is not None

    result = refine([s.text for s in zh], [s.text for s in en], beads, config, accept, features)
    if not result.splits:
        return tuple(segments), (zh, en), list(beads), warnings
    replaced = {side[sp.lang][sp.index].seg_id: parts_of[sp] for sp in result.splits}
    zh_num, en_num = result.numbering(len(zh), len(en))
    warnings = tuple(dataclasses.replace(w, zh=_span(w.zh, zh_num), en=_span(w.en, en_num)) for w in warnings)
    made = {side[sp.lang][sp.index].seg_id for sp in result.splits}
    out = []
    for s in segments:
        out.extend(replaced[s.seg_id] if s.seg_id in made else [s])
    out = [s if s.seg_id == k else dataclasses.replace(s, seg_id=k) for k, s in enumerate(out)]  # the same values
    live = [s for s in out if s.status != DROPPED]
    return (tuple(out), ([s for s in live if s.lang == "zh"], [s for s in live if s.lang == "en"]),
            list(result.beads), warnings)


def _span(span: tuple[int, int], numbering: list[tuple[int, ...]]) -> tuple[int, int]:
    """A (first, last) sentence range in the refined numbering ((-1, -1) stays)."""
    first, last = span
    return (numbering[first][0], numbering[last][-1]) if first >= 0 else span
