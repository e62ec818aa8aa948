"""Plain data flowing between the stages: document -> segments -> beads -> rows.

Every stage is a function from one of these to the next and does no I/O, so each
can be tested alone and the Prefect tasks in ``flows/`` stay one call deep.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

# Segment statuses, as written in segments.tsv.
PAIRED = "paired"
UNPAIRED = "unpaired"
DROPPED = "dropped"
DUPLICATE = "duplicate"  # the pair was written before (reason: where)
FILTERED = "filtered"  # a corpus filter rejected the pair (reason: filter and score)

# Why a segment or a bead is unpaired: codes (written in segments.tsv and counted in
# report.json), so a category keeps its name when a setting such as min_score changes.
# ``reason_text`` is the one place that turns them into words.
NO_COUNTERPART = "no-counterpart"  # the aligner left the sentence alone
BELOW_MIN_SCORE = "below-min-score"  # a bead with both sides, scored under the threshold
NO_ENGLISH = "no-english-in-document"
NO_CHINESE = "no-chinese-in-document"
OTHER_LANGUAGE = "other-language"
NOT_COVERED = "not-covered-by-aligner"  # a bug: the aligner must cover every sentence

REASON_TEXT = {
    NO_COUNTERPART: "no counterpart found by the aligner",
    BELOW_MIN_SCORE: "alignment score below min_score",
    NO_ENGLISH: "document has no English text to pair with",
    NO_CHINESE: "document has no Chinese text to pair with",
    OTHER_LANGUAGE: "language is neither Chinese nor English",
    NOT_COVERED: "not covered by the aligner (bug)",
}


def reason_text(code: str, threshold: float | None = None) -> str:
    """Words for a reason code; the threshold, when given, for a score below it.

    Reasons that are not codes (the segmenter's drop reasons, rejected files) are
    already words and come back unchanged.
    """
    text = REASON_TEXT.get(code, code)
    if code == BELOW_MIN_SCORE and threshold is not None:
        text += f" ({threshold:.2f})"
    return text


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
    nothing left after normalisation) and by pairing for the others (a reason code,
    see ``reason_text``). The bead holding a segment is in ``DocumentResult.beads``.
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
class AlignedBead:
    """A bead of a document's alignment over its segments, with the decision taken on it.

    ``zh``/``en`` are ``Segment.seg_id`` values (either side may be empty). The score is
    kept whatever the decision; ``threshold`` is the min_score it was compared with.
    """

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float  # rounded to 4 decimals, as written to the outputs
    status: str  # PAIRED or UNPAIRED; DUPLICATE or FILTERED after the corpus pass
    reason: str = ""  # a reason code when UNPAIRED
    threshold: float | None = None  # None when not known (e.g. read back from segments.tsv alone)


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

    kind: str  # "unpaired", "weak", "off-diagonal" or "unconfirmed"
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
    beads: tuple[AlignedBead, ...] = ()  # in alignment order; a segment's bead number indexes this
    error: str = ""  # the document could not be processed at all, and why
    timings: dict = field(default_factory=dict, compare=False)  # seconds per stage, when computed
    stats: dict = field(default_factory=dict, compare=False)  # rule counts and examples, ...
    warnings: tuple[AlignmentWarning, ...] = ()  # where the alignment is likely wrong

    def bead_of(self) -> dict[int, int]:
        """seg_id -> number of the bead holding it (segments in no bead are absent)."""
        return {i: k for k, b in enumerate(self.beads) for i in b.zh + b.en}


@dataclass(frozen=True)
class RunOutputs:
    """What a corpus run wrote and how it went (``process_corpus`` and the flow return one).

    Counts come from ``report``, the content of report.json. ``from_cache`` counts, per
    stage, the documents whose output was reused rather than computed in this run.
    """

    run_id: str
    run_dir: str  # OUT/runs/<run_id>
    out: str  # the output folder, where the run's files are published
    report: dict = field(compare=False)
    from_cache: dict[str, int] = field(default_factory=lambda: {"segment": 0, "align": 0})
    tasks: dict[str, dict[str, int]] = field(default_factory=dict)  # Prefect task states per stage (flow only)
    batches: int = 0  # batches of documents (flow only)
    batch_size: int = 0
    seconds: float = 0.0  # wall time of the job's body
    api: str = ""  # the Prefect API the run reported to (flow only)

    def path(self, name: str) -> str:
        """A published file of the run: "corpus.tsv", "segments.tsv", "report.md", ..."""
        return os.path.join(self.run_dir, name)

    @property
    def documents(self) -> int:
        return self.report["documents"]

    @property
    def pairs(self) -> int:
        return self.report["pairs"]

    @property
    def unpaired(self) -> int:
        return self.report["segments"]["by_status"].get(UNPAIRED, 0)

    @property
    def dropped(self) -> int:
        return self.report["segments"]["by_status"].get(DROPPED, 0)

    @property
    def rejected(self) -> int:
        return len(self.report["files_rejected"])
