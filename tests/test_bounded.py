"""No loop of the text stages runs forever, whatever the settings (even values the
config check refuses, for code that builds a section by hand)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from aligners.config import TextConfig
from aligners.text.segment import segment_document
from aligners.text.split import split_sentences
from aligners.types import Decoded, Document

TEXT = st.text(alphabet=st.sampled_from(list("ab 。.,，!?…\n\"“”中文字Ab")), max_size=60)
SIZES = st.integers(min_value=-3, max_value=12)


@settings(max_examples=200, deadline=None)
@given(TEXT, SIZES)
def test_sentence_split_ends_and_keeps_every_character_for_any_limit(text, max_chars):
    spans = split_sentences(text, 0, len(text), max_chars)
    covered = "".join(text[s:e] for s, e in spans)
    assert [c for c in covered if not c.isspace()] == [c for c in text if not c.isspace()]
    assert all(e - s <= max(1, max_chars) for s, e in spans)


@settings(max_examples=60, deadline=None)
@given(TEXT, SIZES, SIZES)
def test_segmentation_ends_for_any_sizes(text, max_chars, min_words):
    config = TextConfig(max_segment_chars=max_chars, langdetect_min_words=min_words)
    doc = Document("d", "mixed", (Decoded("d.txt", text, "utf-8"),))
    segs = segment_document(doc, config)
    assert all(seg.text.strip() for seg in segs if seg.status != "dropped")


def test_a_token_cut_for_length_is_flagged_truncated_on_both_sides():
    token = "x" * 10_000
    doc = Document("d", "mixed", (Decoded("d.txt", f"Before it.\n\n{token} after it.\n", "utf-8"),))
    segs = segment_document(doc, TextConfig(max_segment_chars=2000))
    assert segs[0].text == "Before it." and "truncated" not in segs[0].flags  # not cut
    pieces = segs[1:]
    assert [s.text for s in pieces[:5]] == ["x" * 2000] * 5 and pieces[5].text == "after it."
    assert [("truncated" in s.flags) for s in pieces] == [True] * 5 + [False]  # cut at a space: not truncated


def test_a_long_sentence_cut_at_spaces_is_not_truncated():
    words = " ".join(["word"] * 1000)  # 4,999 characters, no sentence end
    doc = Document("d", "mixed", (Decoded("d.txt", words + "\n", "utf-8"),))
    segs = segment_document(doc, TextConfig(max_segment_chars=2000))
    assert len(segs) > 1 and not any("truncated" in s.flags for s in segs)
