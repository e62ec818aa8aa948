"""Re-score a candidate pair by aligning it: the share of its sentences in confident beads.

Thompson & Koehn (2020) score document pairs by how well their sentences align in
order. Here the pair is aligned by the pipeline's own sentence aligner, and the
score is the share of both sides' sentences that lie in beads the pipeline would
confidently align (both sides non-empty, bead score >= ``match.bead_score``, 0.5:
more likely right than wrong). Translations of 15 gold beads or more score 0.41 and
up; the best candidate of a file without partner 0.27 at most, 0.02 for parts of 40
(bench/match_pile.py). The score depends on length too: the sentences of a longer
side left without a counterpart count against the pair. For very short texts (~6
sentences) the bead score is not reliable: unrelated texts on one topic can score
high.
"""
from __future__ import annotations

from aligners.config import AlignConfig

from .profile import Profile


def alignment_share(zh: Profile, en: Profile, config: AlignConfig = AlignConfig(), bead_score: float = 0.5) -> float:
    from aligners.align import align_sentences

    total = len(zh.sentences) + len(en.sentences)
    if not zh.sentences or not en.sentences:
        return 0.0
    beads = align_sentences(zh.sentences, en.sentences, config,
                            zh_paragraphs=zh.paragraphs, en_paragraphs=en.paragraphs)
    paired = sum(len(b.src) + len(b.tgt) for b in beads if b.src and b.tgt and b.score >= bead_score)
    return round(paired / total, 4)


def rescore(pairs: list[tuple[Profile, Profile]], config: AlignConfig = AlignConfig(),
            bead_score: float = 0.5) -> list[float]:
    """``alignment_share`` of each (Chinese, English) pair."""
    return [alignment_share(zh, en, config, bead_score) for zh, en in pairs]
