"""Aligner: the DP on small cases with known optimal beads, each evidence source, the API."""
from dataclasses import replace

import numpy as np
import pytest

from aligners.align import align_sentences, chinese, english
from aligners.align.dictionary import parse_cedict_lines
from aligners.align.dp import DPParams, Evidence, LevelInput, corridor_dp, full_corridor
from aligners.align.features import FeatureParams, build_features, translate_word
from aligners.align.search import anchor_corridor, path_points, search_path
from aligners.align.sparse import Csr, band_dot, offset_dot
from aligners.config import AlignConfig
from aligners.types import Bead
from sparse_rows import csr

# ---------------------------------------------------------------- sparse products



def test_band_dot_matches_dense():
    rng = np.random.default_rng(0)
    A = rng.random((7, 5)) * (rng.random((7, 5)) < 0.5)
    B = rng.random((9, 5)) * (rng.random((9, 5)) < 0.5)
    a = csr([{k: x for k, x in enumerate(row) if x} for row in A])
    b = csr([{k: x for k, x in enumerate(row) if x} for row in B])
    starts = np.array([-1, 0, 1, 2, 4, 5, 8])
    D = band_dot(a, b, starts, 3, chunk=2)
    for r in range(7):
        for w in range(3):
            c = starts[r] + w
            want = A[r] @ B[c] if 0 <= c < 9 else 0.0
            assert D[r, w] == pytest.approx(want, abs=1e-5)
    G = offset_dot(a, 2)
    assert np.allclose(G, [A[r] @ A[r + 2] if r + 2 < 7 else 0 for r in range(7)], atol=1e-6)


def test_duplicate_triples_are_summed_and_blocks_add_up():
    m = Csr.from_triples(np.array([1, 0, 1]), np.array([2, 0, 2]), np.array([1.0, 3.0, 2.0]), 3)
    assert list(m.indptr) == [0, 1, 2, 2]
    assert list(m.data) == [3.0, 3.0]
    s = m.block_sum(2)
    assert s.n_rows == 2 and list(s.indices) == [0, 2] and list(s.data) == [3.0, 3.0]

# ---------------------------------------------------------------- the DP

PLAIN = DPParams(beads=((1, 1), (1, 2), (2, 1), (1, 3), (2, 2), (1, 0), (0, 1)),
                 penalties={(1, 2): 0.05, (2, 1): 0.05, (1, 3): 0.1, (2, 2): 0.2},
                 w_sim=1.0, size_power=1.0, w_len=0.0, null_cost=0.8)


def run_dp(zh_rows, en_rows, params=PLAIN, zl=None, el=None, lo_hi=None):
    z, e = csr(zh_rows), csr(en_rows)
    zl = np.ones(len(zh_rows)) * 10 if zl is None else np.asarray(zl, float)
    el = np.ones(len(en_rows)) * 28 if el is None else np.asarray(el, float)
    lo, hi = lo_hi or full_corridor(len(zh_rows), len(en_rows))
    return corridor_dp(LevelInput(z, e, zl, el), params, lo, hi).beads


def test_dp_one_to_two_and_one_to_one():
    # zh1 carries the words of en1 and en2: optimal beads [0]:[0] [1]:[1,2] [2]:[3]
    zh = [{0: 1.0}, {1: 1.0, 2: 1.0}, {3: 1.0}]
    en = [{0: 1.0}, {1: 1.0}, {2: 1.0}, {3: 1.0}]
    assert run_dp(zh, en) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_dp_two_to_one():
    zh = [{0: 1.0}, {1: 1.0}, {2: 1.0}, {3: 1.0}]
    en = [{0: 1.0}, {1: 1.0, 2: 1.0}, {3: 1.0}]
    assert run_dp(zh, en) == [((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))]


def test_dp_null_bead_for_untranslated_sentence():
    # zh1 has nothing in common with any English sentence: cheaper to leave it alone
    # (cost 0.8) than to glue it to a neighbour (2-1 costs at least 0.05 + a lower cosine)
    zh = [{0: 1.0}, {9: 5.0}, {1: 1.0}]
    en = [{0: 1.0}, {1: 1.0}]
    assert run_dp(zh, en) == [((0,), (0,)), ((1,), ()), ((2,), (1,))]
    # if skipping is dear, the sentence joins a bead instead
    dear = DPParams(**{**PLAIN.__dict__, "null_cost": 5.0})
    out = run_dp(zh, en, dear)
    assert ((1,), ()) not in out and len(out) == 2


def bead_costs(level, params):
    """Each bead's cost, computed on first use and kept: the exhaustive check costs every
    bead of every path, and most paths share most of their beads."""
    ev = Evidence(level, params, *full_corridor(level.zh.n_rows, level.en.n_rows))
    costs = {}

    def cost(i, j, a, b):
        if (i, j, a, b) not in costs:
            costs[i, j, a, b] = float(ev.bead_cost(np.array([i]), np.array([j]), a, b)[0])
        return costs[i, j, a, b]

    return cost


def path_cost(params, cost, beads):
    """A bead path's cost written out directly: bead costs, and null runs at open + extend."""
    ext = params.null_cost if params.null_extend is None else params.null_extend
    total, i, j, prev = 0.0, 0, 0, None
    for src, tgt in beads:
        a, b = len(src), len(tgt)
        i, j = i + a, j + b
        kind = (a, b) if a == 0 or b == 0 else None
        if kind is None:
            total += cost(i, j, a, b)
        else:
            total += ext if kind == prev else params.null_cost
        prev = kind
    return total


def all_paths(n, m, types):
    if n == 0 and m == 0:
        yield []
        return
    for a, b in types:
        if a <= n and b <= m:
            for rest in all_paths(n - a, m - b, types):
                yield rest + [(tuple(range(n - a, n)), tuple(range(m - b, m)))]


@pytest.mark.parametrize("seed", range(6))
def test_dp_with_null_runs_finds_the_cheapest_path_of_all(seed):
    # every bead path of small documents enumerated and costed directly (open + extend
    # for runs of unpaired sentences on one side): the DP's path is the cheapest, in
    # both the numpy and the compiled rows
    from aligners.align.dp import fill_rows, numba_compiled

    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(3, 6)), int(rng.integers(3, 6))
    zh = [{int(k): 1.0 for k in rng.integers(0, 6, 2)} for _ in range(n)]
    en = [{int(k): 1.0 for k in rng.integers(0, 6, 2)} for _ in range(m)]
    level = LevelInput(csr(zh), csr(en), rng.integers(5, 30, n).astype(float), rng.integers(10, 80, m).astype(float))
    params = DPParams(**{**PLAIN.__dict__, "null_cost": 0.9, "null_extend": 0.1, "w_len": 0.05})
    cost = bead_costs(level, params)
    want = min(path_cost(params, cost, p) for p in all_paths(n, m, params.beads))
    for compiled in (False, True) if numba_compiled(fill_rows) else (False,):
        got = corridor_dp(level, params, *full_corridor(n, m), compiled=compiled)
        assert path_cost(params, cost, got.beads) == pytest.approx(want)
        assert got.total_cost == pytest.approx(want)


def test_dp_leaves_a_long_missing_stretch_unpaired_with_cheap_null_runs():
    # 12 Chinese sentences, the English side lacks zh 4..9: spread over merged beads
    # when every unpaired sentence costs the full null cost, left as one unpaired run
    # when a run's further sentences are cheap
    zh = [{i: 1.0} for i in range(12)]
    en = [{i: 1.0} for i in list(range(4)) + [10, 11]]
    flat = DPParams(**{**PLAIN.__dict__, "null_cost": 1.2})
    runs = DPParams(**{**flat.__dict__, "null_extend": 0.2})
    missing = [((i,), ()) for i in range(4, 10)]
    assert not set(missing) <= set(run_dp(zh, en, flat))
    assert run_dp(zh, en, runs) == [((i,), (i,)) for i in range(4)] + missing + [((10,), (4,)), ((11,), (5,))]


def test_dp_length_decides_when_words_do_not():
    # no lexical evidence at all; lengths say zh0 ~ en0+en1 (28 letters per 10 chars)
    zh = [{}, {}]
    en = [{}, {}, {}]
    params = DPParams(beads=((1, 1), (1, 2), (2, 1)), penalties={}, w_sim=0.0, w_len=1.0, len_var=6.0, null_cost=9.0)
    out = run_dp(zh, en, params, zl=[20, 10], el=[28, 28, 28])
    assert out == [((0,), (0, 1)), ((1,), (2,))]


def test_dp_inside_a_corridor_equals_full_dp():
    rng = np.random.default_rng(1)
    zh = [{i: 1.0, 100 + int(rng.integers(50)): 0.3} for i in range(40)]
    en = [{i: 1.0} for i in range(40)]
    full = run_dp(zh, en)
    lo, hi = anchor_corridor(np.array([(10, 10), (20, 20), (30, 30)]), 40, 40, pad=3)
    assert (lo <= np.arange(41)).all() and (hi >= np.arange(41)).all() and (hi - lo).max() < 40
    assert run_dp(zh, en, lo_hi=(lo, hi)) == full == [((i,), (i,)) for i in range(40)]


def synthetic_book(n: int, seed: int):
    """A long synthetic parallel text as DP input, and its true beads.

    Sentences share most of their words (a 30-word vocabulary, like the formulas and
    dialogue of a real book); a third of the pairs also share one word of their own.
    Perturbations: a sentence translated by two (1-2) or two by one (2-1), untranslated
    stretches on either side, and a "chapter" of 60 sentences missing on the English side.
    """
    rng = np.random.default_rng(seed)
    zh, en, zl, el, gold = [], [], [], [], []
    rare = 1000
    k = 0
    while len(zh) < n:
        common = {int(c): 1.0 for c in rng.integers(0, 30, 4)}
        own = {}
        if rng.random() < 0.3:
            own, rare = {rare: 2.0}, rare + 1
        length = float(rng.integers(8, 40))
        kind = rng.random()
        if n // 2 <= len(zh) < n // 2 + 60:  # the missing chapter
            zh.append({**common, **own}), zl.append(length), gold.append(((len(zh) - 1,), ()))
            continue
        if kind < 0.03:  # untranslated stretch on one side
            side = rng.random() < 0.5
            for _ in range(int(rng.integers(3, 12))):
                junk = {int(c): 1.0 for c in rng.integers(0, 30, 4)}
                if side:
                    zh.append(junk), zl.append(float(rng.integers(8, 40))), gold.append(((len(zh) - 1,), ()))
                else:
                    en.append(junk), el.append(float(rng.integers(20, 110))), gold.append(((), (len(en) - 1,)))
            continue
        if kind < 0.10:  # one Chinese sentence, two English ones
            zh.append({**common, **own}), zl.append(length)
            en.extend([dict(list(common.items())[:2]), {**dict(list(common.items())[2:]), **own}])
            el.extend([length * 1.4, length * 1.4])
            gold.append(((len(zh) - 1,), (len(en) - 2, len(en) - 1)))
            continue
        zh.append({**common, **own}), zl.append(length)
        en.append({**common, **own}), el.append(length * 2.8 * float(rng.uniform(0.8, 1.25)))
        gold.append(((len(zh) - 1,), (len(en) - 1,)))
        k += 1
    level = LevelInput(csr(zh), csr(en), np.array(zl), np.array(el))
    return level, gold


BOOK_PARAMS = DPParams(beads=((1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)),
                       penalties={(1, 2): 0.3, (2, 1): 0.3, (2, 2): 0.5}, w_sim=1.0, size_power=0.5,
                       w_len=0.02, null_cost=2.0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_search_finds_the_full_dp_path_on_a_long_perturbed_text(monkeypatch, seed):
    from aligners.align import search

    monkeypatch.setattr(search, "FULL_DP_CELLS", 1000)  # force the anchored corridor
    level, gold = synthetic_book(700, seed)
    found = search_path(level, BOOK_PARAMS)
    # the full DP with the length ratio the search re-estimated from its paired beads
    full = corridor_dp(replace(level, length_ratio=found.length_ratio), BOOK_PARAMS,
                       *full_corridor(level.zh.n_rows, level.en.n_rows))
    assert found.corridor_cells < 0.3 * (level.zh.n_rows + 1) * (level.en.n_rows + 1)
    assert found.beads == full.beads
    assert not found.unconfirmed
    # and the path stays near the truth (a lost path is hundreds of sentences away)
    pts = path_points(found.beads)
    n = level.zh.n_rows
    lo, hi = np.full(n + 1, 10**9), np.full(n + 1, -1)
    np.minimum.at(lo, pts[:, 0], pts[:, 1])
    np.maximum.at(hi, pts[:, 0], pts[:, 1])
    lo, hi = np.minimum.accumulate(lo[::-1])[::-1], np.maximum.accumulate(hi)
    g = path_points(gold)
    away = np.maximum(lo[g[:, 0]] - g[:, 1], 0) + np.maximum(g[:, 1] - hi[g[:, 0]], 0)
    assert np.median(away) == 0 and away.max() <= 40


@pytest.mark.parametrize("seed, chinese_missing", [(0, False), (1, False), (0, True), (1, True)])
def test_a_missing_chapter_is_left_unpaired_and_reported(monkeypatch, seed, chinese_missing):
    # the synthetic book's English lacks Chinese 350..409 (or, sides swapped, the
    # Chinese lacks English 350..409): with every unpaired sentence at the full null
    # cost the path spreads them over merged beads (2 of 60 left unpaired, half the gold
    # beads lost); with cheap null runs they are one unpaired stretch, the search still
    # finds the full DP's path, and the warning names the stretch
    from aligners.align import search
    from aligners.align.alarms import find_warnings

    monkeypatch.setattr(search, "FULL_DP_CELLS", 1000)
    level, gold = synthetic_book(700, seed)
    if chinese_missing:
        level = LevelInput(level.en, level.zh, level.en_len, level.zh_len)
        gold = [(t, s) for s, t in gold]
    params = replace(BOOK_PARAMS, null_extend=0.5)
    found = search_path(level, params)
    full = corridor_dp(replace(level, length_ratio=found.length_ratio), params,
                       *full_corridor(level.zh.n_rows, level.en.n_rows))
    assert found.beads == full.beads
    missing = set(range(350, 410))
    side = 1 if chinese_missing else 0
    assert {b[side][0] for b in found.beads if b[side] and not b[1 - side]} >= missing
    assert len(set(gold) & set(found.beads)) > 0.9 * len(gold)
    beads = [Bead(s, t, 0.0 if not (s and t) else 0.9) for s, t in found.beads]
    stretches = [(w.zh, w.en) for w in find_warnings(beads, level.zh_len, level.en_len, 0.2) if w.kind == "unpaired"]
    assert (((-1, -1), (350, 409)) if chinese_missing else ((350, 409), (-1, -1))) in stretches


def test_compiled_rows_give_the_numpy_rows_result():
    from aligners.align.dp import fill_rows, numba_compiled

    if numba_compiled(fill_rows) is None:
        pytest.skip("numba not installed")
    level, _ = synthetic_book(300, 3)
    lo, hi = full_corridor(level.zh.n_rows, level.en.n_rows)
    plain = corridor_dp(level, BOOK_PARAMS, lo, hi, compiled=False)
    fast = corridor_dp(level, BOOK_PARAMS, lo, hi, compiled=True)
    assert plain.beads == fast.beads and plain.total_cost == fast.total_cost


def test_corridor_chunks_do_not_change_the_path():
    level, _ = synthetic_book(200, 4)
    lo, hi = full_corridor(level.zh.n_rows, level.en.n_rows)
    one = corridor_dp(level, BOOK_PARAMS, lo, hi)
    many = corridor_dp(level, BOOK_PARAMS, lo, hi, chunk_cells=5000)
    assert one.beads == many.beads and one.total_cost == many.total_cost


def test_paragraph_boundaries_break_a_tie():
    # two zh, three en, nothing lexical, equal lengths: 1-2/1-1 and 1-1/1-2 tie; paragraphs decide
    params = DPParams(beads=((1, 1), (1, 2), (2, 1)), penalties={}, w_sim=0.0, w_len=0.0, null_cost=9.0, para_cost=1.0)
    z, e = csr([{}, {}]), csr([{}, {}, {}])
    for en_starts, want in (([True, False, True], [((0,), (0, 1)), ((1,), (2,))]),
                            ([True, True, False], [((0,), (0,)), ((1,), (1, 2))])):
        lvl = LevelInput(z, e, np.ones(2), np.ones(3), np.array([True, True]), np.array(en_starts))
        assert corridor_dp(lvl, params, *full_corridor(2, 3)).beads == want

# ---------------------------------------------------------------- evidence sources

def test_english_stems_meet_gloss_stems():
    assert english.stem("slapped") == english.stem("slap")
    assert english.stem("said") == english.stem("say") == "say"
    assert english.stem("friendships") == english.stem("friendship")
    assert english.stem("loved") == english.stem("love")
    assert english.content_tokens("She said the dogs were barking.") == ["say", "dog", "bark"]
    assert english.gloss_stems("to slap (sb's face)") == ["slap", "face"]
    assert english.gloss_stems("variant of 說|说[shuo1]") == []


def test_numbers_both_languages():
    assert english.numbers("twenty-one men and 21 women, three hundred horses") == ["#21", "#21", "#300"]
    assert chinese.parse_numeral("二十一") == 21
    assert chinese.parse_numeral("十五") == 15
    assert chinese.parse_numeral("三千五百") == 3500
    assert chinese.parse_numeral("一九六七") == 1967
    assert chinese.parse_numeral("两万") == 20000
    assert chinese.numbers("一个人走了二十一里，5个") == ["#5", "#21"]


def test_pinyin_of_names():
    toks = chinese.pinyin_tokens("陈清扬")
    assert "chen" in toks and "qingyang" in toks and "chenqingyang" in toks


DICT_LINES = [
    "# comment",
    "說 说 [shui4] /to persuade/",
    "說 说 [shuo1] /to speak; to say/(bound form) theory/",
    "説 说 [shuo1] /variant of 說|说[shuo1]/",
    "狗 狗 [gou3] /dog/CL:隻|只[zhi1],條|条[tiao2]/",
    "陳 陈 [Chen2] /surname Chen/",
    "清 清 [qing1] /clear/",
]


def test_cedict_lines_keep_every_sense():
    d = parse_cedict_lines(DICT_LINES)
    assert d["说"] == ("persuad", "speak", "say", "bound", "form", "theori")
    assert d["說"] == d["说"]
    assert "説" not in d  # only a cross-reference
    assert d["狗"] == ("dog",)
    assert d["陈"] == ("chen",)


def test_translate_word_sources():
    d = parse_cedict_lines(DICT_LINES)
    p = FeatureParams()
    assert translate_word("狗", d, p) == {"dog": 1.0}
    assert translate_word("的", d, p) == {}  # function word
    assert translate_word("，", d, p) == {}
    assert translate_word("DNA", d, p) == {"dna": 1.0}  # Latin inside Chinese
    unk = translate_word("陈清", d, p)  # unknown: pinyin and per-character glosses
    assert unk["chenqing"] == 1.0 and unk["qing"] == 1.0
    assert unk["chen"] == pytest.approx(1.0 + p.char_backoff / 2)
    assert unk["clear"] == pytest.approx(p.char_backoff / 2)


# ---------------------------------------------------------------- the API, with CC-CEDICT

ZH = ["那天晚上我没有走。", "陈清扬拉住我，叫我留下来，她说我们是伟大的友谊。", "我问她为什么。", "外面下着大雨。",
      "二十一只狗在叫。"]
EN = ["I did not leave that night.", "Chen Qingyang held me back.", "She asked me to stay, in the name of our great friendship.",
      "I asked her why.", "Outside, it was raining hard.", "Twenty-one dogs were barking."]


@pytest.fixture(scope="session")
def loaded():
    from aligners.align.dictionary import cedict

    cedict()  # once per session: about 2 s
    return True


def test_features_see_translations(loaded):
    zf, ef, _ = build_features(ZH, EN)
    dots = band_dot(zf.vectors, ef.vectors, np.zeros(len(ZH), int), len(EN))
    assert dots[4].argmax() == 5  # numbers + dog
    assert dots[1, 1] > 0 and dots[1, 2] > 0  # names via pinyin, friendship via CC-CEDICT
    assert dots[3, 4] > dots[3, 5]  # rain


def test_parts_vectorised_from_the_word_entries_as_when_looked_up_again(loaded):
    """Parts of sentences built from the document's word numbers equal those built by
    looking their words up again (one sentence cut after its first two words, one whole,
    one empty part: a text with no words)."""
    from aligners.align.features import chinese_vectors, vectors_of_words

    _, _, info = build_features(ZH, EN)
    entries, words = info["zh_entries"], info["zh_words"]
    one = words[1]
    texts = ["".join(one[:2]), "".join(one[2:]), ZH[3], "。"]
    parts = [one[:2], one[2:], words[3], []]
    ids = np.concatenate([entries.ids[entries.start[1]: entries.start[2]], entries.ids[entries.start[3]: entries.start[4]]])
    made = vectors_of_words(texts, ids, [len(p) for p in parts], entries, info["vocab"], info["weight"])
    again = chinese_vectors(texts, parts, info["vocab"], info["weight"])
    assert all(np.diff(made.indptr)[:3] > 0)  # the three texts with words have entries
    for a, b in zip((made.indptr, made.indices, made.data), (again.indptr, again.indices, again.data)):
        assert np.array_equal(a, b)
    whole = vectors_of_words(ZH, entries.ids, [len(w) for w in words], entries, info["vocab"], info["weight"])
    assert np.array_equal(whole.data, build_features(ZH, EN)[0].vectors.data)


def test_remembered_translations_give_the_vectors_of_a_fresh_look_up(loaded):
    """The second document with the same words takes their translations from the table's
    memory; its vectors are those of a look-up in a plain dictionary of the same entries."""
    from aligners.align.dictionary import cedict

    table = cedict()
    words = chinese.segment_many(ZH)
    chars = {c for ws in words for w in ws for c in w}
    plain = table.subset({w for ws in words for w in ws} | chars)  # a dict: no memory
    fresh = build_features(ZH, EN, dictionary=plain, segmented=words)[0].vectors
    for _ in range(2):  # the first may find the memory empty, the second finds every word in it
        made = build_features(ZH, EN, dictionary=table, segmented=words)[0].vectors
        for a, b in zip((made.indptr, made.indices, made.data), (fresh.indptr, fresh.indices, fresh.data)):
            assert np.array_equal(a, b)
    memo = table.translations[FeatureParams()]
    assert all(w in memo for ws in words for w in ws)


def test_align_sentences_small_document(loaded):
    beads = align_sentences(ZH, EN)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)), ((3,), (4,)), ((4,), (5,))]
    assert all(0.0 <= b.score <= 1.0 for b in beads)


def test_align_sentences_covers_everything_and_edge_cases(loaded):
    assert align_sentences([], []) == []
    assert align_sentences(["你好。"], []) == [Bead((0,), (), 0.0)]
    assert align_sentences([], ["Hi.", "Bye."]) == [Bead((), (0,), 0.0), Bead((), (1,), 0.0)]
    beads = align_sentences(ZH[:2], EN, AlignConfig(max_src=2, max_tgt=2))
    assert sorted(i for b in beads for i in b.src) == [0, 1]
    assert sorted(j for b in beads for j in b.tgt) == list(range(len(EN)))
    assert all(len(b.src) <= 2 and len(b.tgt) <= 2 for b in beads)
    assert all(b.src or b.tgt for b in beads)


def test_paragraph_arguments_are_checked(loaded):
    with pytest.raises(ValueError):
        align_sentences(ZH, EN, zh_paragraphs=[0, 1])
    with pytest.raises(ValueError):
        align_sentences(ZH, EN, zh_paragraphs=[0, 1, 0, 1, 2], en_paragraphs=[0] * 6)
    beads = align_sentences(ZH, EN, zh_paragraphs=[0, 0, 0, 1, 1], en_paragraphs=[0, 0, 0, 0, 1, 1])
    assert [(b.src, b.tgt) for b in beads][-2:] == [((3,), (4,)), ((4,), (5,))]


def test_unrelated_text_scores_low(loaded):
    news_zh = ["国务院今天召开常务会议，研究部署进一步扩大内需的措施。", "会议指出，要加快推进重大基础设施项目建设。"]
    news_en = ["The football club announced a new coach on Tuesday.", "Shares in technology companies fell sharply in early trading."]
    unrelated = align_sentences(news_zh, news_en)
    related = align_sentences(ZH, EN)
    assert max(b.score for b in unrelated) < 0.3
    assert np.median([b.score for b in related if b.src and b.tgt]) > 0.5


def test_deterministic(loaded):
    assert align_sentences(ZH, EN) == align_sentences(ZH, EN)


def test_a_thread_pool_gives_the_serial_result(loaded):
    from concurrent.futures import ThreadPoolExecutor

    # documents of different shapes, so that one document's DP state could not pass for another's
    docs = [(ZH, EN), (NEWS_ZH, NEWS_EN), (ZH[:3] + NEWS_ZH, EN[:4] + NEWS_EN), (ZH[::-1], EN[::-1]),
            (ZH + ZH, EN + EN), (NEWS_ZH[:2], EN)] * 3
    serial = [align_sentences(z, e) for z, e in docs]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda d: align_sentences(*d), docs))
    assert threaded == serial


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, aligners.align; print(int(any(m in sys.modules for m in ('jieba', 'pypinyin', 'numpy'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


# ---------------------------------------------------------------- the bead score

def test_fit_logistic_recovers_known_coefficients():
    from aligners.align.confidence import fit_logistic

    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 2))
    p = 1.0 / (1.0 + np.exp(-(2.0 * X[:, 0] - 1.0 * X[:, 1] + 0.5)))
    y = (rng.random(4000) < p).astype(float)
    coef, icpt = fit_logistic(X, y, l2=0.0)
    assert coef == pytest.approx([2.0, -1.0], abs=0.2)
    assert icpt == pytest.approx(0.5, abs=0.15)


def test_bead_features_context_and_margin():
    from aligners.align.confidence import FEATURES, bead_features

    # four 1-1 beads on the diagonal; all but bead 1 share their one word; then a 1-0 bead
    zh = [{0: 1.0}, {1: 1.0}, {2: 1.0}, {3: 1.0}, {9: 1.0}]
    en = [{0: 1.0}, {8: 1.0}, {2: 1.0}, {3: 1.0}]
    z, e = csr(zh), csr(en)
    al = Evidence(LevelInput(z, e, np.ones(5) * 10, np.ones(4) * 28), PLAIN, *full_corridor(5, 4))
    beads = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,)), ((4,), ())]
    X = bead_features(al, beads)
    f = {name: X[:, k] for k, name in enumerate(FEATURES)}
    assert np.allclose(f["cos"][:4], [1, 0, 1, 1])
    assert np.allclose(f["margin"][:4], [1, 0, 1, 1])  # every shifted pairing shares nothing
    assert f["context"][3] == pytest.approx(2 / 3)  # beads 0, 1, 2 (the null bead does not count)
    assert f["weak"][3] == pytest.approx(1 / 3)  # bead 1 shares no word
    assert list(f["nomatch"][:4]) == [0, 1, 0, 0]
    assert f["near"][2] == 0.0 and f["near"][3] == 1.0  # lower of the previous and next cosines
    assert np.isnan(X[4]).all()
    assert f["extra"][0] == 0.0


NEWS_ZH = ["国务院今天召开常务会议，研究部署进一步扩大内需的措施。", "会议指出，要加快推进重大基础设施项目建设。",
           "各地区各部门要切实抓好政策落实。", "会议还讨论了其他事项。"]
NEWS_EN = ["The football club announced a new coach on Tuesday.",
           "Shares in technology companies fell sharply in early trading.",
           "Heavy snow closed several mountain roads overnight.", "The museum will reopen next spring."]


def test_untranslated_chunk_scores_low_inside_a_translation(loaded):
    # a translated story with a four-sentence chunk in the middle that has no counterpart
    # (as in the seed document): whatever the DP pairs the chunk with must score below
    # every translated pair, and low on average
    zh = ZH[:3] + NEWS_ZH + ZH[3:]
    en = EN[:4] + NEWS_EN + EN[4:]
    beads = align_sentences(zh, en)
    chunk = set(range(3, 7))
    inside = [b.score for b in beads if b.src and b.tgt and set(b.src) <= chunk]
    outside = [b.score for b in beads if b.src and b.tgt and not set(b.src) & chunk]
    assert inside and outside
    assert max(inside) < min(outside)
    assert np.mean(inside) < AlignConfig().min_score
    assert min(outside) > AlignConfig().min_score  # the pipeline pairs every translated sentence


def test_dialogue_quotes_are_anchors_apostrophes_are_not():
    from aligners.align.features import chinese_anchor_tokens, english_anchor_tokens

    assert english_anchor_tokens("'No, I don't,' said Trinket.", True) == ['#"<', '#">']
    assert english_anchor_tokens("It's the boys' hats.", True) == []
    assert english_anchor_tokens("'Which Mrs Zhou?", True) == ["#?", '#"<']
    assert english_anchor_tokens("What's her job?'", True) == ["#?", '#">']
    assert english_anchor_tokens('He said "yes".', True) == ['#"<', '#">']
    assert english_anchor_tokens("'Surrender?'") == ["#?", '#"', '#"']  # without sides: one kind
    assert chinese_anchor_tokens("韦小宝道：“我跟海老公。”", True) == ['#"<', '#">']
    assert chinese_anchor_tokens("周嫂子。”", True) == ['#">']


def test_one_blas_thread_restores_the_setting():
    from aligners.align import blas

    api = blas._api()
    if not api:
        pytest.skip("numpy's OpenBLAS not found")
    get, put = api
    before = get()
    with blas.one_blas_thread():
        assert get() == 1
        with blas.one_blas_thread():  # nested / concurrent use keeps one thread until the last ends
            assert get() == 1
        assert get() == 1
    assert get() == before


def test_cedict_cache_file_is_written_then_read_and_rebuilt_when_corrupt(tmp_path, monkeypatch):
    from aligners.align import dictionary

    calls = []
    real = dictionary.parse_cedict
    monkeypatch.setattr(dictionary, "parse_cedict", lambda lines: calls.append(1) or real(["說 说 [shuo1] /to speak/"]))
    first = dictionary.build_cedict(tmp_path)
    (path,) = tmp_path.glob("cedict-*.tables")
    assert first[0]["说"] == ("speak",) and first[1]["说"] == "shuo" and len(calls) == 1
    assert dictionary.build_cedict(tmp_path) == first and len(calls) == 1  # read back, not parsed
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0xFF  # one flipped byte
    path.write_bytes(bytes(blob))
    assert dictionary.build_cedict(tmp_path) == first and len(calls) == 2  # rebuilt
    assert dictionary.build_cedict(tmp_path) == first and len(calls) == 2
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert dictionary.cache_dir() == tmp_path / "xdg" / "bitextflow"


def test_warnings_name_weak_stretches_and_paths_far_from_the_diagonal():
    from aligners.align.alarms import WEAK_RUN, find_warnings

    n = 400
    good = [Bead((i,), (i,), 0.9) for i in range(100)]
    weak = [Bead((i,), (i,), 0.05) for i in range(100, 100 + WEAK_RUN)]
    rest = [Bead((i,), (i,), 0.9) for i in range(100 + WEAK_RUN, n)]
    lengths = np.full(n, 20.0)
    (w,) = find_warnings(good + weak + rest, lengths, lengths * 3, 0.2)
    assert (w.kind, w.zh, w.en) == ("weak", (100, 100 + WEAK_RUN - 1), (100, 100 + WEAK_RUN - 1))
    one_short = weak[:-1] + [Bead(weak[-1].src, weak[-1].tgt, 0.9)]
    assert find_warnings(good + one_short + rest, lengths, lengths * 3, 0.2) == ()
    # the English side's first 150 sentences have no Chinese: the path runs 150 off the diagonal
    shifted = [Bead((), (j,), 0.0) for j in range(150)] + [Bead((i,), (i + 150,), 0.9) for i in range(n)]
    # (reported as unpaired; the rest of the path is on the diagonal of the text without them)
    (alone,) = find_warnings(shifted, lengths, np.full(n + 150, 60.0), 0.2)
    assert (alone.kind, alone.zh, alone.en) == ("unpaired", (-1, -1), (0, 149)) and "before zh 0" in alone.detail
    # a path that drifts without leaving anything unpaired: zh 0..299 two to one English
    # sentence, then 300 zh to 450 en; at zh 300 it is 150 sentences off the diagonal
    drift = ([Bead((2 * k, 2 * k + 1), (k,), 0.9) for k in range(150)]
             + [b for k in range(150) for b in (Bead((300 + 2 * k,), (150 + 3 * k,), 0.9),
                                                Bead((301 + 2 * k,), (151 + 3 * k, 152 + 3 * k), 0.9))])
    kinds = [w.kind for w in find_warnings(drift, np.full(600, 20.0), np.full(600, 60.0), 0.2)]
    assert kinds and set(kinds) == {"off-diagonal"}
    assert "zh 100-109" in w.describe()
    # Chinese 200..259 have no English: one unpaired stretch, named with where the English goes on
    gap = ([Bead((i,), (i,), 0.9) for i in range(200)] + [Bead((i,), (), 0.0) for i in range(200, 260)]
           + [Bead((i,), (i - 60,), 0.9) for i in range(260, n)])
    (w,) = find_warnings(gap, lengths, np.full(n - 60, 60.0), 0.2)
    assert (w.kind, w.zh, w.en) == ("unpaired", (200, 259), (-1, -1))
    assert "60 Chinese sentences" in w.detail and "between en 199 and 200" in w.detail
