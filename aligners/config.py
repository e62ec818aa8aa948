"""One configuration object for every tunable, and its signature.

Each stage reads only its own section, and a stage's cache key hashes only that
section (plus the library code of the stage), so changing an alignment constant
re-aligns documents without re-segmenting them, and a normalisation change redoes
both. ``Config.signature()`` is written beside every corpus so a number can be
traced to the settings that made it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field


class ConfigurationError(ValueError):
    """A setting is out of range or unknown."""


@dataclass(frozen=True)
class DecodeConfig:
    max_bytes: int = 64 * 1024 * 1024  # larger files are rejected, with that reason
    to_simplified: bool = False  # convert Traditional Chinese with OpenCC (recorded either way)


@dataclass(frozen=True)
class TextConfig:
    """Segmentation, language detection and normalisation."""

    fold_latin_words: int = 2  # Latin runs of at most this many words between Han runs stay Chinese
    # a bracketed/quoted Han run of at most this many characters inside English stays English
    # ("Chen Qingyang (陈清扬) said"); 0 cuts it out as Chinese. Names are 2-4 characters,
    # short terms up to about 8; not fitted (MAC-Dev has no such glosses).
    fold_han_chars: int = 8
    langdetect_min_words: int = 5  # Latin segments this long are checked for being English
    langdetect_seed: int = 0
    language_checker: str = "pycld2"  # or "langdetect"; chosen by bench/detect_macdev.py (falls back to langdetect)
    max_segment_chars: int = 2000  # a sentence longer than this is cut at a space or mark
    disabled_rules: tuple[str, ...] = ()  # normalisation rules to skip, by name


@dataclass(frozen=True)
class FeatureParams:
    """Weights of the evidence sources (documented defaults; see bench/align_macdev.py)."""

    polysemy_power: float = 0.5  # a word with k gloss stems gives each stem 1/k**power (CV-selected, round 2)
    char_backoff: float = 0.5  # mass of the per-character glosses of an unknown Chinese word
    pinyin_weight: float = 1.0  # mass of the pinyin romanisations of an unknown word
    number_weight: float = 2.0  # numbers are rare and reliable
    idf_power: float = 0.65  # token weight = idf ** power on both sides (CV-selected, round 2; 1.0 before)
    lexicon_oov_only: bool = False  # a learned lexicon replaces only words CC-CEDICT lacks (see params.py)
    ellipsis_dash: bool = False  # ellipses and dashes as anchors (off: chosen by no CV fold, round 2)
    quote_sides: bool = True  # opening and closing quotation marks as two different anchors (CV, round 2)
    punct_weight: float = 2.0  # ? ! and quotation marks (CV-selected, round 2, with single-quote dialogue)
    max_glosses: int = 30  # stems of very polysemous words beyond this rank are ignored
    char_always: float = 0.0  # mass of per-character glosses added to known multi-character words


@dataclass(frozen=True)
class AlignConfig:
    """Sentence alignment. Where each default comes from: aligners/align/params.py."""

    max_src: int = 4  # largest number of Chinese sentences in one bead
    max_tgt: int = 4  # largest number of English sentences in one bead
    # DP costs, fitted by leave-one-chapter-out selection on MAC-Dev (bench/align_tune.py)
    merge: float = 0.4  # per sentence beyond 1-1
    many_to_many: float = 0.1  # extra for beads with two or more sentences on both sides
    null_cost: float = 5.0  # a sentence left without counterpart
    size_power: float = 0.5  # how the lexical cost of a bead scales with its size
    length_weight: float = 0.02  # weight of the Gale-Church length term
    length_variance: float = 6.0  # its variance
    paragraph_cost: float = 0.5  # a bead that crosses or starts a paragraph on one side only (structural)
    learn_lexicon: bool = False  # IBM-1 lexicon from a first pass (Moore 2002); off: no CV gain
    features: FeatureParams = field(default_factory=FeatureParams)  # weights of the evidence sources
    # beads scoring below this are not paired (their segments: unpaired). The score is a
    # fitted logistic estimate that the bead is right (aligners/align/confidence.py).
    # Measured (bench/align_e2e_thresholds.py, round 2): end-to-end strict F1 on MAC-Dev
    # raw/ 0.851 / 0.850 / 0.848 / 0.845 / 0.840 and mixed/ 0.865 / 0.864 / 0.861 / 0.858 /
    # 0.852 at 0 / 0.1 / 0.2 / 0.3 / 0.4. 0.2 costs 0.002-0.004 F1 on MAC-Dev (which has no
    # untranslated text) against 0 or 0.1, and keeps 2.3% instead of 6.0% of beads forced
    # between unrelated chapters and 32% instead of 44% of beads of an inserted untranslated
    # chunk (held-out, bench/align_score_fit.py; at 0.1).
    min_score: float = 0.2


@dataclass(frozen=True)
class Config:
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    text: TextConfig = field(default_factory=TextConfig)
    align: AlignConfig = field(default_factory=AlignConfig)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def section_hash(self, name: str) -> str:
        return _hash(dataclasses.asdict(getattr(self, name)))

    def signature(self) -> str:
        """Short, stable hash of the whole configuration."""
        return _hash(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict) -> "Config":
        sections = {f.name: f.type for f in dataclasses.fields(cls)}
        kwargs = {}
        for name, values in (data or {}).items():
            if name not in sections:
                raise ConfigurationError(f"unknown config section {name!r}")
            section_cls = {"decode": DecodeConfig, "text": TextConfig, "align": AlignConfig}[name]
            known = {f.name for f in dataclasses.fields(section_cls)}
            unknown = set(values) - known
            if unknown:
                raise ConfigurationError(f"unknown setting(s) in [{name}]: {', '.join(sorted(unknown))}")
            values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
            if isinstance(values.get("features"), dict):
                values["features"] = _build(FeatureParams, values["features"], f"{name}.features")
            kwargs[name] = section_cls(**values)
        return cls(**kwargs)


def _build(cls, values: dict, where: str):
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigurationError(f"unknown setting(s) in [{where}]: {', '.join(sorted(unknown))}")
    return cls(**values)


def _hash(obj) -> str:
    blob = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]
