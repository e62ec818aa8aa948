"""One configuration object for every tunable, and its signature.

Each stage reads only its own section, and a stage's cache key hashes only that
section (plus the library code of the stage), so changing an alignment constant
re-aligns documents without re-segmenting them, and a normalisation change redoes
both. ``Config.signature()`` is written beside every corpus so a number can be
traced to the settings that made it.

Every setting is checked when a ``Config`` is made (``Config.from_dict`` or the
constructor), before anything runs: its type comes from the field's annotation
(``bool``, ``int``, ``float`` — finite, ``str``, ``tuple[str, ...]``, or a nested
section), its range or allowed values from the section's ``CHECKS`` (a class-level
dict of :class:`Check`). A bad value raises one :class:`ConfigurationError` whose
message names the key and what is allowed. A new section is a frozen dataclass with
annotated fields and optional ``CHECKS``, added as a field of ``Config``; nothing else
needs registering.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar


class ConfigurationError(ValueError):
    """A setting is out of range or unknown."""


@dataclass(frozen=True)
class Check:
    """What a setting allows: ``test(value)`` is true for an allowed value; ``allowed`` says
    which in words, for the error message (or makes those words, when they need an import)."""

    allowed: str | Callable[[], str]
    test: Callable[[Any], bool]

    def says(self) -> str:
        return self.allowed if isinstance(self.allowed, str) else self.allowed()


def at_least(low: float) -> Check:
    return Check(f"at least {low}", lambda v: v >= low)


def above(low: float) -> Check:
    return Check(f"greater than {low}", lambda v: v > low)


def between(low: float, high: float) -> Check:
    return Check(f"between {low} and {high}", lambda v: low <= v <= high)


def one_of(*values: str) -> Check:
    return Check("one of " + ", ".join(repr(v) for v in values), lambda v: v in values)


def names_in(registry: Callable[[], Iterable[str]], what: str) -> Check:
    """Every item of a list setting is a name from ``registry()`` (called at check time,
    so the registry's module is imported only then)."""

    def test(values) -> bool:  # an empty list needs no registry (and no import)
        return not values or set(values) <= set(registry())

    return Check(lambda: f"a list of {what}: {', '.join(registry())}", test)


def _rule_names() -> tuple[str, ...]:
    from aligners.text.normalize import RULE_NAMES

    return RULE_NAMES


@dataclass(frozen=True)
class DecodeConfig:
    max_bytes: int = 64 * 1024 * 1024  # larger files are rejected, with that reason
    to_simplified: bool = False  # convert Traditional Chinese with OpenCC (recorded either way)

    CHECKS: ClassVar[dict[str, Check]] = {"max_bytes": at_least(1)}


@dataclass(frozen=True)
class TextConfig:
    """Segmentation, language detection and normalisation."""

    langdetect_min_words: int = 5  # Latin segments this long are checked for being English
    langdetect_seed: int = 0
    language_checker: str = "pycld2"  # or "langdetect"; chosen by bench/detect_macdev.py (falls back to langdetect)
    max_segment_chars: int = 2000  # a sentence longer than this is cut at a space or mark
    disabled_rules: tuple[str, ...] = ()  # normalisation rules to skip, by name

    CHECKS: ClassVar[dict[str, Check]] = {
        "langdetect_min_words": at_least(0), "language_checker": one_of("pycld2", "langdetect"), "max_segment_chars": at_least(1),
        "disabled_rules": names_in(_rule_names, "normalisation rule names"),
    }


@dataclass(frozen=True)
class FeatureParams:
    """Weights of the evidence sources (documented defaults; see bench/align_macdev.py)."""

    polysemy_power: float = 0.5  # a word with k gloss stems gives each stem 1/k**power (CV-selected)
    char_backoff: float = 0.5  # mass of the per-character glosses of an unknown Chinese word
    pinyin_weight: float = 1.0  # mass of the pinyin romanisations of an unknown word
    number_weight: float = 2.0  # numbers are rare and reliable
    idf_power: float = 0.65  # token weight = idf ** power on both sides (CV-selected; 1.0 before)
    ellipsis_dash: bool = False  # ellipses and dashes as anchors (off: chosen by no CV fold)
    quote_sides: bool = True  # opening and closing quotation marks as two different anchors (CV-selected)
    punct_weight: float = 2.0  # ? ! and quotation marks (CV-selected, with single-quote dialogue)
    max_glosses: int = 30  # stems of very polysemous words beyond this rank are ignored
    char_always: float = 0.0  # mass of per-character glosses added to known multi-character words

    CHECKS: ClassVar[dict[str, Check]] = {
        **{name: at_least(0) for name in ("polysemy_power", "char_backoff", "pinyin_weight", "number_weight",
                                          "idf_power", "punct_weight", "char_always")},
        "max_glosses": at_least(1),
    }


@dataclass(frozen=True)
class AlignConfig:
    """Sentence alignment. Where each default comes from: aligners/align/params.py."""

    max_src: int = 4  # largest number of Chinese sentences in one bead
    max_tgt: int = 4  # largest number of English sentences in one bead
    # DP costs, fitted by leave-one-chapter-out selection on MAC-Dev (bench/align_tune.py)
    merge: float = 0.4  # per sentence beyond 1-1
    many_to_many: float = 0.1  # extra for beads with two or more sentences on both sides
    null_cost: float = 5.0  # a sentence left without counterpart (the first of a run on one side)
    # each further sentence of that run (at most null_cost; structural, not fitted: half a 1-1 bead
    # with no shared evidence, so two unpaired sentences inside runs cost as much as pairing them blind)
    null_extend: float = 0.5
    size_power: float = 0.5  # how the lexical cost of a bead scales with its size
    length_weight: float = 0.02  # weight of the Gale-Church length term
    length_variance: float = 6.0  # its variance
    paragraph_cost: float = 0.5  # a bead that crosses or starts a paragraph on one side only (structural)
    features: FeatureParams = field(default_factory=FeatureParams)  # weights of the evidence sources
    # beads scoring below this are not paired (their segments: unpaired). The score is a
    # fitted logistic estimate that the bead is right (aligners/align/confidence.py).
    # Measured (bench/align_e2e_thresholds.py): end-to-end strict F1 on MAC-Dev
    # raw/ 0.851 / 0.850 / 0.848 / 0.845 / 0.840 and mixed/ 0.865 / 0.864 / 0.861 / 0.858 /
    # 0.852 at 0 / 0.1 / 0.2 / 0.3 / 0.4. 0.2 costs 0.002-0.004 F1 on MAC-Dev (which has no
    # untranslated text) against 0 or 0.1, and keeps 2.3% instead of 6.0% of beads forced
    # between unrelated chapters and 32% instead of 44% of beads of an inserted untranslated
    # chunk (held-out, bench/align_score_fit.py; at 0.1).
    min_score: float = 0.2
    # after aligning, cut a Chinese sentence at clause marks where the English side of its
    # bead has more sentences that its clauses translate in order (aligners/align/refine.py)
    split_clauses: bool = True

    CHECKS: ClassVar[dict[str, Check]] = {
        "max_src": at_least(1), "max_tgt": at_least(1),
        # a negative cost would make the search prefer that move without end (merge everything, pair nothing)
        **{name: at_least(0) for name in ("merge", "many_to_many", "null_cost", "null_extend", "size_power",
                                          "length_weight", "paragraph_cost")},
        "length_variance": above(0),
        "min_score": between(0, 1),  # a probability
    }


def _filter_names() -> tuple[str, ...]:
    from aligners.corpus.filters import FILTERS

    return tuple(FILTERS)


def _export_formats() -> tuple[str, ...]:
    from aligners.corpus.export import FORMATS

    return tuple(FORMATS)


@dataclass(frozen=True)
class FilterConfig:
    """Pair filters applied when the corpus is written (aligners/corpus/filters.py says
    what each measures; bench/filters_dev.py measures them on MAC-Dev, news-dev and the seed)."""

    disabled: tuple[str, ...] = ()  # filters to skip, by name
    min_chars: int = 1  # "length": letters and digits per side, at least
    max_zh_chars: int = 1000  # ... and at most
    max_en_chars: int = 3000
    non_letters_max_share: float = 0.5  # "non_letters": share of digits/punctuation/symbols on a side
    untranslated_max: float = 0.9  # "untranslated": 1 = a copy, or a side wholly in the other language
    numbers_max_mismatch: float = 0.5  # "number_mismatch": share of digit numbers the other side lacks
    length_ratio_max_z: float = 4.0  # "length_ratio": Gale-Church |z| beyond this is rejected
    length_ratio: float = 0.0  # English characters per Chinese character; 0: fitted on the run's pairs
    length_variance: float = 0.0  # variance per character; 0: fitted on the run's pairs

    CHECKS: ClassVar[dict[str, Check]] = {
        "disabled": names_in(_filter_names, "filter names"),
        "min_chars": at_least(0), "max_zh_chars": at_least(1), "max_en_chars": at_least(1),
        **{name: between(0, 1) for name in ("non_letters_max_share", "untranslated_max", "numbers_max_mismatch")},
        "length_ratio_max_z": above(0), "length_ratio": at_least(0), "length_variance": at_least(0),
    }


@dataclass(frozen=True)
class OutputConfig:
    formats: tuple[str, ...] = ()  # written beside corpus.tsv: any of tmx, moses, jsonl, parquet

    CHECKS: ClassVar[dict[str, Check]] = {"formats": names_in(_export_formats, "export formats")}


@dataclass(frozen=True)
class MatchConfig:
    """Pairing the files of a pile by content (``bitextflow run --match``; aligners/match)."""

    enabled: bool = False
    # A candidate pair is aligned and scored by the share of its sentences (both sides) in
    # beads scoring at least ``bead_score``, in order minus with the English reversed
    # (aligners/match/rescore.py). The bead score estimates the probability that the bead is
    # right (AlignConfig.min_score), so 0.5: "more likely right than wrong".
    bead_score: float = 0.5
    # A pair needs at least this score. bench/match_pile.py, parts of 15 gold beads of
    # MAC-Dev and news-dev: true pairs 0.50 and more, the best candidate of a file without
    # partner 0.43 at most. Parts of 5 beads (~6 sentences) do not separate.
    threshold: float = 0.45
    candidates: int = 3  # per file, the best candidates by lexical similarity that are aligned to re-score them
    index_terms: int = 40  # a file looks up candidates through its heaviest terms
    postings: int = 200  # files kept per term in the inverted index (those where the term weighs most)
    language_share: float = 0.8  # a file is Chinese (English) when this share of its letters is

    CHECKS: ClassVar[dict[str, Check]] = {
        "bead_score": between(0, 1), "threshold": between(0, 1),  # a probability, a share
        "candidates": at_least(1), "index_terms": at_least(1), "postings": at_least(1),
        "language_share": Check("greater than 0.5 and at most 1", lambda v: 0.5 < v <= 1),  # one language, not both
    }


@dataclass(frozen=True)
class Config:
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    text: TextConfig = field(default_factory=TextConfig)
    align: AlignConfig = field(default_factory=AlignConfig)
    filter: FilterConfig = field(default_factory=FilterConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    match: MatchConfig = field(default_factory=MatchConfig)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def section_hash(self, name: str) -> str:
        return _hash(dataclasses.asdict(getattr(self, name)))

    def signature(self) -> str:
        """Short, stable hash of the whole configuration."""
        return _hash(self.to_dict())

    def __post_init__(self):
        for f in dataclasses.fields(self):
            check_section(getattr(self, f.name), f.name)

    @classmethod
    def from_dict(cls, data: dict) -> "Config":
        """A Config from nested dicts (a TOML file, a deployment's JSON parameters)."""
        if not isinstance(data or {}, dict):
            raise ConfigurationError("the configuration must be a table of sections")
        return _build(cls, data or {}, "")


def _build(cls, values, where: str):
    """An instance of the section dataclass ``cls`` from a dict; lists become tuples,
    integers given for float settings become floats (so ``1`` and ``1.0`` hash alike)."""
    if not isinstance(values, dict):
        raise ConfigurationError(f"[{where}] must be a table of settings, not {_show(values)}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(values) - known
    if unknown:
        what = "section(s)" if cls is Config else f"setting(s) in [{where}]"
        raise ConfigurationError(f"unknown {what}: {', '.join(sorted(unknown))}; "
                                 f"known: {', '.join(sorted(known))}")
    kwargs = {}
    for name, value in values.items():
        kind = hints[name]
        key = f"{where}.{name}" if where else name
        if dataclasses.is_dataclass(kind):
            value = _build(kind, value, key)
        elif isinstance(value, list):
            value = tuple(value)
        elif kind is float and type(value) is int:
            value = float(value)
        kwargs[name] = value
    return cls(**kwargs)


def check_section(section, where: str) -> None:
    """Check every setting of one section (and its nested sections) against its type and
    the section's ``CHECKS``; raise ConfigurationError naming the first bad key."""
    hints = typing.get_type_hints(type(section))
    checks = getattr(type(section), "CHECKS", {})
    for f in dataclasses.fields(section):
        value, kind = getattr(section, f.name), hints[f.name]
        if dataclasses.is_dataclass(kind):
            if not isinstance(value, kind):
                raise ConfigurationError(f"[{where}] {f.name} must be a table of settings, not {_show(value)}")
            check_section(value, f"{where}.{f.name}")
            continue
        check = checks.get(f.name)
        type_error = _type_error(value, kind)
        if type_error is not None and check is not None and typing.get_origin(kind) is tuple:
            type_error = f"must be {check.says()} (a list in brackets, even of one)"
        elif type_error is None and check is not None and not check.test(value):
            type_error = f"must be {check.says()}"
        if type_error:
            raise ConfigurationError(f"[{where}] {f.name} = {_show(value)}: {type_error}")


def _type_error(value, kind) -> str | None:
    if kind is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if kind is int:
        return None if type(value) is int else "must be a whole number"
    if kind is float:
        if type(value) not in (int, float):
            return "must be a number"
        return None if math.isfinite(value) else "must be a finite number"
    if kind is str:
        return None if isinstance(value, str) else "must be a string (in quotes)"
    if typing.get_origin(kind) is tuple:
        (item,) = {a for a in typing.get_args(kind) if a is not Ellipsis}
        if not isinstance(value, tuple) or not all(isinstance(v, item) for v in value):
            return f"must be a list of {item.__name__} values in brackets"
        return None
    return None


def _show(value) -> str:
    """A value as it would be written in the TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return type(value).__name__


def _hash(obj) -> str:
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
