"""Plain data flowing between the stages: document -> segments -> beads -> rows.

Every stage is a function from one of these to the next and does no I/O, so each
can be tested alone and the Prefect tasks in ``flows/`` stay one call deep.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Segment statuses, as written in segments.tsv.
PAIRED = "paired"
UNPAIRED = "unpaired"
DROPPED = "dropped"
DUPLICATE = "duplicate"  # the pair was written before (reason: where)
FILTERED = "filtered"  # a corpus filter rejected the pair (reason: filter and score)


@dataclass(frozen=True)
class Decoded:
    """The text of one input file and how it was obtained."""

    path: str  # as given by the user, for messages only (never used to build a path)
    text: str  # decoded text, "" when rejected
    encoding: str  # e.g. "utf-8", "utf-8-sig", "gb18030", "utf-16"; "" when rejected
    replaced: int = 0  # characters that could not be decoded and became U+FFFD
    error: str = ""  # non-empty: the file was rejected, and this says why
    notes: tuple[str, ...] = ()  # other facts worth reporting (CRLF converted, ...)
    removed: tuple[tuple[str, int], ...] = ()  # what a format reader left out: (what, count), sorted


@dataclass(frozen=True)
class Document:
    """One unit of work: a document pair (zh file + en file) or one mixed file."""

    doc_id: str
    kind: str  # "pair" or "mixed"
    sources: tuple[Decoded, ...]  # pair: (zh, en); mixed: (text,)

    @property
    def ok(self) -> bool:
        return all(not s.error for s in self.sources)


@dataclass(frozen=True)
class Segment:
    """A sentence (or a one-language span of a sentence that switches script).

    ``seg_id`` numbers the document's segments in reading order, source by source.
    ``status``/``reason`` are filled by segmentation for dropped segments (boilerplate,
    nothing left after normalisation) and by pairing for the others.
    """

    doc_id: str
    seg_id: int
    lang: str  # "zh", "en" or "other"
    text: str  # normalised text
    raw: str = ""  # the text as it was in the input, before normalisation
    source: int = 0  # index into Document.sources
    paragraph: int = 0  # paragraph number within the source, 0-based
    status: str = ""  # "", PAIRED, UNPAIRED or DROPPED
    reason: str = ""  # why unpaired or dropped
    flags: tuple[str, ...] = ()  # observations that do not change the text ("truncated", ...)
    rules: tuple[str, ...] = ()  # names of the normalisation rules that changed this text
    bead: int = -1  # index of the aligner's bead holding this segment within the document; -1: none
    score: float | None = None  # that bead's score (paired or not); None when not in a bead


@dataclass(frozen=True)
class Bead:
    """One alignment unit: ``src`` ids (Chinese) against ``tgt`` ids (English).

    Ids index the two sentence lists given to the aligner. Either side may be empty
    (a sentence with no counterpart). ``score`` is a confidence in [0, 1].
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 0.0


@dataclass(frozen=True)
class Row:
    """One line of corpus.tsv."""

    doc_id: str
    zh: str
    en: str
    score: float
    zh_ids: tuple[int, ...]  # Segment.seg_id values
    en_ids: tuple[int, ...]


@dataclass(frozen=True)
class AlignmentWarning:
    """A stretch where the alignment is likely wrong (aligners/align/alarms.py).

    ``zh``/``en``: first and last sentence of the stretch on each side, inclusive
    ((-1, -1): none on that side); the aligner's sentence numbers, segment ids once
    the pipeline has mapped them.
    """

    kind: str  # "weak", "off-diagonal" or "unconfirmed"
    zh: tuple[int, int]
    en: tuple[int, int]
    detail: str = ""

    def describe(self) -> str:
        zh = f"zh {self.zh[0]}-{self.zh[1]}" if self.zh[0] >= 0 else "no zh"
        en = f"en {self.en[0]}-{self.en[1]}" if self.en[0] >= 0 else "no en"
        return f"alignment warning ({self.kind}): {zh}, {en}: {self.detail}"


@dataclass(frozen=True)
class DocumentResult:
    """Everything one document contributes to the outputs."""

    doc_id: str
    kind: str
    sources: tuple[Decoded, ...]
    segments: tuple[Segment, ...] = ()
    rows: tuple[Row, ...] = ()
    error: str = ""  # the document could not be processed at all, and why
    timings: dict = field(default_factory=dict, compare=False)  # seconds per stage
    stats: dict = field(default_factory=dict, compare=False)  # rule counts and examples, ...
    warnings: tuple[AlignmentWarning, ...] = ()  # where the alignment is likely wrong
