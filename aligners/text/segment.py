"""Document -> segments: paragraphs, sentences, one-language spans, normalised text.

``segment_document`` is the stage the pipeline calls. Every non-space character of
every decoded source lies in the ``raw`` of exactly one returned segment, dropped ones
included (the accounting invariant): the splitters return spans that partition
the text, and nothing is discarded after that, only marked ``dropped`` with a reason.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex

from aligners.config import TextConfig
from aligners.text.detect import english_tail, is_english_sentence, looks_not_english, sentence_language, word_count
from aligners.text.normalize import RULE_NAMES, diff_excerpt, document_quote_style, normalize
from aligners.text.split import split_lines, split_paragraphs, split_sentences, trim_span
from aligners.types import DROPPED, Decoded, Document, Segment

PAIR_SIDES = ("zh", "en")  # Document.sources of a pair: (zh file, en file)
REASON_CAPTION = "boilerplate: photo caption with credit"
REASON_CREDIT = "boilerplate: source or picture credit line"
REASON_EDITOR = "boilerplate: editor line"
REASON_EMPTY = "empty after normalisation (no letters or digits)"

# Photo credits that end a caption paragraph: "新华社记者 岳月伟 摄", "（记者 张三 摄）",
# "(Xinhua/Li Ming)", "Photo by Li Ming".
_CREDIT = regex.compile(
    r"(?:"
    r"(?:新华社|中新社|人民日报|本报|央视)?(?:特约)?(?:记者|通讯员|摄影记者|摄影)[ \t\u3000]*"
    r"[\p{Han}·• \t\u3000、]{2,24}?[ \t\u3000]*摄[)）]?"
    r"|[(（]?(?:新华社|中新社)(?:记者[\p{Han}· \t\u3000]{2,12})?(?:发|供图)[)）]?"
    r"|[(（](?:Xinhua|Photo|Photograph|Credit|Reuters|AFP|AP)[^()（）]{0,80}[)）]"
    r"|(?:Photo|Photograph|Picture)(?:\s+by|:)\s+\p{Lu}[^.!?\n]{0,60}"
    r")[.。]?$"
)
# A paragraph that is only a credit line: "图片来源：城市文物局", "Source: City Daily",
# "Photo: Li Ming". Short (the name part at most 40 characters) and with no sentence
# inside, so "Source: the figures show that ... ." is not one.
_CREDIT_LINE = regex.compile(
    r"^[(（\[【]?(?:(?:图片|图像|视频|资料|文章|信息|稿件)?来源|图片提供|供图|摄影|Source|Sources|Photo|Photos|Image|Images|"
    r"Picture|Credit|Credits|Photo credit|Image credit)[ \t]*[:：][ \t\u3000]*[^\n。！？.!?:：]{1,40}[)）\]】]?$",
    regex.IGNORECASE,
)
# Editor lines that close news pages: "责任编辑：刘洋", "（编辑：孙悦）", "(Web editor: Zhang Kai)".
_EDITOR_LINE = regex.compile(
    r"^[(（\[【]?(?:责任编辑|编辑|责编|校对|审校|审核|终审|监制|实习编辑|Editor|Web editor|Edited by)[ \t]*[:：]?[ \t\u3000]*"
    r"[\p{L}·•、,，/ \t\u3000]{2,40}[)）\]】]?$",
    regex.IGNORECASE,
)
# Field limits that cut text mid-word: a last paragraph of exactly this many characters
# ending in a letter or digit is flagged "truncated" (the seed's title: 200).
_TRUNCATION_LIMITS = frozenset({100, 128, 140, 150, 200, 250, 255, 256, 280, 300, 500, 512, 1000, 1024, 2048, 4096})
_HAS_WORD = regex.compile(r"[\p{L}\p{N}]")


@dataclass
class _Piece:
    start: int
    end: int
    lang: str
    paragraph: int
    dropped: str = ""
    flags: tuple[str, ...] = ()


def is_photo_caption(paragraph: str) -> bool:
    """A paragraph that ends with a photo credit (the seed's L17)."""
    return _CREDIT.search(paragraph.rstrip()) is not None


def boilerplate_line(paragraph: str) -> str:
    """The drop reason when the whole paragraph is a credit or editor line, else ""."""
    line = paragraph.strip()
    if "\n" in line or len(line) > 60:
        return ""
    if _EDITOR_LINE.match(line):
        return REASON_EDITOR
    if _CREDIT_LINE.match(line):
        return REASON_CREDIT
    return ""


def is_truncated(paragraph: str) -> bool:
    """Cut at a field limit: exactly N characters, stopping on a letter or digit."""
    return len(paragraph) in _TRUNCATION_LIMITS and paragraph[-1].isalnum()


def source_pieces(text: str, config: TextConfig = TextConfig(), side: str = "mixed") -> list[_Piece]:
    """Sentences of one source with their language: paragraph -> lines -> sentences.
    ``side`` is the language the file is expected to hold ("zh", "en") or "mixed"
    (aligners/text/detect.py: a sentence's language depends on where it sits)."""
    pieces: list[_Piece] = []
    for para_no, (p_start, p_end) in enumerate(split_paragraphs(text)):
        paragraph = text[p_start:p_end]
        drop = boilerplate_line(paragraph) or (REASON_CAPTION if is_photo_caption(paragraph) else "")
        para_pieces: list[_Piece] = []
        cuts: set[int] = set()  # where an over-long token was cut: both pieces are flagged "truncated"
        for l_start, l_end in split_lines(text, p_start, p_end):
            sentences = split_sentences(text, l_start, l_end, config.max_segment_chars, cuts)
            for s_start, s_end in attach_strays(text, sentences, side):
                tail = english_tail(text, s_start, s_end) if side == "mixed" else None
                for a, b in ((s_start, tail), (tail, s_end)) if tail else ((s_start, s_end),):
                    a, b = trim_span(text, a, b)
                    para_pieces.append(_Piece(a, b, sentence_language(text, a, b, side), para_no))
                    if a in cuts or b in cuts:
                        para_pieces[-1].flags += ("truncated",)
        if drop:
            for p in para_pieces:
                p.dropped = drop
        if para_pieces and "\n" not in paragraph and is_truncated(paragraph):
            para_pieces[-1].flags += ("truncated",)
        pieces.extend(para_pieces)
    _fill_languages(pieces)
    return pieces


# A token that is a link or a tag, not words: a URL, a domain with a path, an e-mail
# address, an @mention, a #hashtag (or Weibo's #topic#), or no letters or digits at all (emoji).
_LINK_OR_TAG = regex.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|[\w-]+(?:\.[\w-]+)+/\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|@[\w.-]+|#[^#\s]+#?|[^\p{L}\p{N}\s]+",
    regex.IGNORECASE,
)
_HAN = regex.compile(r"\p{Han}")


def is_link_or_tags(sentence: str) -> bool:
    """Only links, tags and symbols (``https://t.co/x7Rk``, ``#news 🔥``, ``@BBCNews``)."""
    tokens = sentence.split()
    return bool(tokens) and all(_LINK_OR_TAG.fullmatch(t) for t in tokens) and _HAS_WORD.search(sentence) is not None


def attach_strays(text: str, spans: list[tuple[int, int]], side: str) -> list[tuple[int, int]]:
    """The sentences of one line, with the pieces that are no sentence joined to the one
    before (to the one after when first): links and tags after a post's last mark
    (``……不已。 https://t.co/x7Rk``, ``... it. #news``), and, in the Chinese file of a
    pair, a piece with no Han that is not a whole English sentence (a name, code, URL or
    time cut off its Chinese sentence), so the Chinese file holds no fragment of one."""
    if len(spans) < 2:
        return spans
    out: list[tuple[int, int]] = []
    pending: int | None = None  # start of a stray first piece, joined to the next one
    for i, (a, b) in enumerate(spans):
        piece = text[a:b]
        stray = is_link_or_tags(piece) or (
            side == "zh" and _HAN.search(piece) is None and _HAS_WORD.search(piece) is not None
            and not is_english_sentence(piece))
        if pending is not None:
            a, pending = pending, None
        if stray and out:
            out[-1] = (out[-1][0], b)
        elif stray and i + 1 < len(spans):
            pending = a
        else:
            out.append((a, b))
    return out


def _fill_languages(pieces: list[_Piece]) -> None:
    """Pieces with no letters (``2024``, ``… …``) take the language of the nearest piece
    with letters: earlier in the same paragraph, later in it, then earlier/later in the
    source; "other" when the source has no letters at all. Linear time."""
    n = len(pieces)
    prev_lang = [""] * n  # language of the nearest lettered piece before i (any paragraph)
    next_lang = [""] * n
    last = ("", -1)
    for i, p in enumerate(pieces):
        prev_lang[i] = last[0] if last[1] == p.paragraph else ""
        if p.lang:
            last = (p.lang, p.paragraph)
    prev_any = [""] * n
    cur = ""
    for i, p in enumerate(pieces):
        prev_any[i] = cur
        cur = p.lang or cur
    nxt = ("", -1)
    nxt_any = ""
    next_any = [""] * n
    for i in range(n - 1, -1, -1):
        p = pieces[i]
        next_lang[i] = nxt[0] if nxt[1] == p.paragraph else ""
        next_any[i] = nxt_any
        if p.lang:
            nxt = (p.lang, p.paragraph)
            nxt_any = p.lang
    for i, p in enumerate(pieces):
        if not p.lang:
            p.lang = prev_lang[i] or next_lang[i] or prev_any[i] or next_any[i] or "other"


def segment_document(doc: Document, config: TextConfig = TextConfig()) -> list[Segment]:
    """Every segment of every source of ``doc``, in reading order (see module docstring)."""
    per_source: list[tuple[int, str, list[_Piece]]] = []
    for source_no, source in enumerate(doc.sources):
        if source.error or not source.text:
            continue
        side = PAIR_SIDES[source_no] if doc.kind == "pair" and source_no < len(PAIR_SIDES) else "mixed"
        per_source.append((source_no, source.text, source_pieces(source.text, config, side)))

    quote_style = document_quote_style(
        text[p.start : p.end] for _, text, pieces in per_source for p in pieces if p.lang == "en"
    )
    segments: list[Segment] = []
    for source_no, text, pieces in per_source:
        for p in pieces:
            raw = text[p.start : p.end]
            norm = normalize(raw, p.lang, config, quote_style=quote_style)
            flags = p.flags
            reason = p.dropped
            if not reason and not _HAS_WORD.search(norm.text):
                reason = REASON_EMPTY
            if p.lang == "en" and not reason and word_count(norm.text) >= config.langdetect_min_words:
                if looks_not_english(norm.text, config):
                    flags += ("not-english",)
            segments.append(
                Segment(
                    doc_id=doc.doc_id,
                    seg_id=len(segments),
                    lang=p.lang,
                    text=norm.text,
                    raw=raw,
                    source=source_no,
                    paragraph=p.paragraph,
                    status=DROPPED if reason else "",
                    reason=reason,
                    flags=flags,
                    rules=norm.rules,
                )
            )
    return segments


def rule_counts(segments) -> dict[str, dict]:
    """How often each rule fired (segments it changed), with the first example of each
    as the changed stretch ``(before, after)``; rules in registry order."""
    counts: Counter = Counter()
    examples: dict[str, tuple[str, str]] = {}
    for s in segments:
        for name in s.rules:
            counts[name] += 1
            if name not in examples:
                examples[name] = diff_excerpt(s.raw, s.text)
    return {name: {"count": counts[name], "example": examples[name]} for name in RULE_NAMES if name in counts}


def _text_document(text: str, path: str = "-") -> Document:
    return Document("preview", "mixed", (Decoded(path, text, "utf-8"),))


def normalize_preview(text: str, config: TextConfig = TextConfig(), diff: bool = False, path: str = "-") -> list[str]:
    """Lines for ``bitextflow normalize FILE [--diff]``: the normalised segments, one per
    line (``diff=True``: only the changed ones, as ``- raw`` / ``+ text`` with the rules
    that fired; dropped segments with their reason)."""
    lines: list[str] = []
    for s in segment_document(_text_document(text, path), config):
        if not diff:
            if s.status != DROPPED:
                lines.append(s.text)
            continue
        if s.status == DROPPED:
            lines.append(f"# seg {s.seg_id} dropped ({s.reason}): {_one_line(s.raw)}")
        elif s.rules:
            lines.append(f"@ seg {s.seg_id} [{s.lang}] {', '.join(s.rules)}")
            lines.append(f"- {_one_line(s.raw)}")
            lines.append(f"+ {s.text}")
    return lines


def detect_preview(text: str, config: TextConfig = TextConfig(), path: str = "-") -> list[str]:
    """Lines for ``bitextflow detect FILE``: ``seg_id, paragraph, language, flags, text``
    tab-separated, one segment per line (dropped ones marked with their reason)."""
    lines = []
    for s in segment_document(_text_document(text, path), config):
        flags = ",".join(s.flags + ((f"dropped: {s.reason}",) if s.status == DROPPED else ()))
        lines.append(f"{s.seg_id}\t{s.paragraph}\t{s.lang}\t{flags}\t{_one_line(s.raw)}")
    return lines


def _one_line(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ⏎ ")
