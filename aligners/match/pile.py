"""The matching steps chained, and their outcome as document specs and documents.tsv rows.

``match_files`` runs the steps in one process; the Prefect flow runs the same steps
as batched tasks (profiles, candidate look-ups and re-scoring spread over workers;
index and assignment once).
"""
from __future__ import annotations

from dataclasses import dataclass

from aligners.config import Config
from aligners.io.inputs import DocSpec, unique_ids

from .assignment import Matching, Scored, assign
from .candidates import Candidate, find_candidates, merge_candidates, query_ranges
from .index import PileIndex, build_index
from .profile import PileFile, Profile, profile_file
from .rescore import rescore


@dataclass(frozen=True)
class DocumentEntry:
    """One row of documents.tsv."""

    doc_id: str
    zh_file: str
    en_file: str
    score: float | None  # the match score; None for name pairs and unmatched files without candidate
    reason: str  # why a file stayed unmatched ("" for pairs)


DOCUMENT_COLUMNS = ("doc_id", "zh_file", "en_file", "score", "reason")


def split_pile(specs: list[DocSpec]) -> tuple[list[DocSpec], list[PileFile]]:
    """Name pairs (and bitexts) stay as they are; every single file goes into the pile."""
    pairs = [s for s in specs if s.kind != "mixed"]
    files = [PileFile(s.paths[0], s.doc_id, tuple(n for n in s.notes if not n.startswith("pair incomplete")))
             for s in specs if s.kind == "mixed"]
    return pairs, files


def profile_files(files: list[PileFile], config: Config = Config()) -> list[Profile]:
    return [profile_file(f, config) for f in files]


def index_profiles(profiles: list[Profile], config: Config = Config()) -> PileIndex:
    return build_index(profiles, config.match.postings)


def candidates_for(index: PileIndex, side: str, start: int, stop: int, config: Config = Config()) -> list[Candidate]:
    m = config.match
    return find_candidates(index, side, start, stop, m.index_terms, m.candidates)


def rescore_candidates(profiles: list[Profile], candidates: list[Candidate], config: Config = Config()) -> list[Scored]:
    scores = rescore([(profiles[c.zh], profiles[c.en]) for c in candidates], config.align, config.match.bead_score)
    return [Scored(c.zh, c.en, c.similarity, s) for c, s in zip(candidates, scores)]


def match_files(files: list[PileFile], config: Config = Config()) -> tuple[list[Profile], Matching]:
    """All matching steps in one call (no Prefect)."""
    profiles = profile_files(files, config)
    index = index_profiles(profiles, config)
    candidates = merge_candidates(candidates_for(index, side, a, b, config)
                                  for side, a, b in query_ranges(index, len(profiles) or 1))
    scored = rescore_candidates(profiles, candidates, config)
    return profiles, assign(profiles, scored, config.match.threshold)


def matched_specs(name_pairs: list[DocSpec], profiles: list[Profile],
                  matching: Matching) -> tuple[list[DocSpec], list[DocumentEntry]]:
    """The documents to process (name pairs, matched pairs, files alone) and their documents.tsv rows."""
    items: list[tuple[DocSpec, tuple]] = []
    for s in name_pairs:
        items.append((s, ("", "", None, "")))  # file labels filled in below
    for m in matching.pairs:
        zh, en = profiles[m.zh], profiles[m.en]
        note = f"paired by content with {en.shown} (score {m.score:.2f})"
        spec = DocSpec(f"{zh.file.label}+{en.file.label}", "pair", (zh.file.path, en.file.path),
                       zh.file.notes + en.file.notes + (note,))
        items.append((spec, (zh.shown, en.shown, m.score, "")))
    for a in matching.alone:
        p = profiles[a.file]
        spec = DocSpec(p.file.label, "mixed", (p.file.path,), p.file.notes)
        zh_file = p.shown if p.lang != "en" else ""
        en_file = p.shown if p.lang != "zh" else ""
        reason = f"best candidate {profiles[a.best].shown}: {a.reason}" if a.best is not None else a.reason
        items.append((spec, (zh_file, en_file, a.score, reason)))
    items.sort(key=lambda it: (it[0].doc_id, it[0].paths))
    specs = unique_ids([s for s, _ in items])
    entries = []
    for spec, (_, (zh_file, en_file, score, reason)) in zip(specs, items):
        if not zh_file and not en_file:
            zh_file, en_file = spec_labels(spec)
        entries.append(DocumentEntry(spec.doc_id, zh_file, en_file, score, reason))
    return specs, entries


def spec_labels(spec: DocSpec) -> tuple[str, str]:
    """(zh file, en file) of a name pair; a bitext file holds both."""
    from aligners.io.inputs import display

    return display(spec.paths[0]), display(spec.paths[-1])


def document_lines(entries: list[DocumentEntry]) -> list[str]:
    """documents.tsv: a header and one line per document (fields are safe labels: no tabs)."""
    lines = ["\t".join(DOCUMENT_COLUMNS) + "\n"]
    for e in entries:
        score = "" if e.score is None else f"{e.score:.4f}"
        lines.append("\t".join((e.doc_id, e.zh_file, e.en_file, score, e.reason)) + "\n")
    return lines
