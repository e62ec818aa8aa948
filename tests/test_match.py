"""Pairing the files of a pile by content (aligners.match)."""
from __future__ import annotations

import os
import random

import pytest

from aligners.config import Config, MatchConfig
from aligners.io.inputs import DocSpec
from aligners.match import document_lines, match_files, matched_specs, split_pile
from aligners.match.assignment import Scored, assign
from aligners.match.candidates import find_candidates
from aligners.match.index import build_index
from aligners.match.profile import PileFile, Profile, profile_text
from aligners.pipeline import decoded

TEA = ("老王每天早上六点起床，去山上的茶园工作。\n他的茶园有三百棵茶树，都是他父亲种的。\n"
       "春天的时候，他和妻子一起采茶。\n他们把新鲜的茶叶放在竹篮里，背回家。\n"
       "下午，老王在厨房里炒茶，整个房子都是茶香。\n村里的孩子们喜欢来看他炒茶。\n"
       "去年，一位来自上海的商人买了他二十公斤茶叶。\n老王说，好茶需要好水和耐心。\n",
       "Old Wang gets up at six o'clock every morning and goes to work in the tea garden on the mountain.\n"
       "His tea garden has three hundred tea trees, all planted by his father.\n"
       "In spring, he and his wife pick tea together.\n"
       "They put the fresh tea leaves in bamboo baskets and carry them home.\n"
       "In the afternoon, Old Wang roasts the tea in the kitchen, and the whole house smells of tea.\n"
       "The children of the village like to come and watch him roast tea.\n"
       "Last year, a merchant from Shanghai bought twenty kilograms of his tea.\n"
       "Old Wang says that good tea needs good water and patience.\n")
TRAIN = ("星期六下午，北京下了一场大雨。\n李明在火车站等他的妹妹。\n火车晚了四十分钟，站台上挤满了人。\n"
         "他买了一杯热咖啡和一份报纸。\n报纸上说，明天的足球比赛可能会取消。\n妹妹终于下了火车，她的箱子很重。\n"
         "他们坐出租车回家，路上堵车很厉害。\n到家的时候，妈妈已经做好了晚饭。\n",
         "On Saturday afternoon, there was a heavy rain in Beijing.\n"
         "Li Ming was waiting for his younger sister at the railway station.\n"
         "The train was forty minutes late, and the platform was crowded with people.\n"
         "He bought a cup of hot coffee and a newspaper.\n"
         "The newspaper said that tomorrow's football match might be cancelled.\n"
         "His sister finally got off the train; her suitcase was very heavy.\n"
         "They took a taxi home, and the traffic on the road was terrible.\n"
         "When they got home, Mother had already cooked dinner.\n")
MEDICINE = ("这家医院的医生发现了一种治疗感冒的新药。\n研究持续了五年，有两千名病人参加。\n"
            "吃了新药的病人，平均三天就好了。\n没有吃药的病人，平均需要七天。\n"
            "医生们说，这种药对老人和儿童都很安全。\n但是，药的价格还比较贵。\n"
            "政府希望明年能降低价格。\n很多医院已经开始订购这种药。\n",
            "Doctors at this hospital have discovered a new medicine to treat colds.\n"
            "The research lasted five years, and two thousand patients took part.\n"
            "Patients who took the new medicine recovered in three days on average.\n"
            "Patients who took no medicine needed seven days on average.\n"
            "The doctors say that the medicine is safe for both old people and children.\n"
            "However, the price of the medicine is still rather high.\n"
            "The government hopes to lower the price next year.\n"
            "Many hospitals have already begun to order the medicine.\n")
# a Chinese text whose English is not in the pile
DUMPLINGS = ("过年的时候，奶奶总是包饺子。\n她用猪肉和白菜做馅。\n我们一家人坐在桌子旁边一起包。\n"
             "爷爷包的饺子最难看，大家都笑他。\n煮好的饺子又香又热。\n吃完饺子，我们出去放鞭炮。\n")


def write_pile(folder, texts: dict[str, str]) -> list[PileFile]:
    files = []
    for name, text in texts.items():
        path = os.path.join(folder, name + ".txt")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        files.append(PileFile(path, name))
    return files


def pairs_by_text(profiles, matching) -> set[tuple[str, str]]:
    return {(profiles[m.zh].sentences[0], profiles[m.en].sentences[0]) for m in matching.pairs}


def test_profile_language_terms_and_mixed():
    zh = profile_text(PileFile("a", "a"), decoded(TRAIN[0]))
    en = profile_text(PileFile("b", "b"), decoded(TRAIN[1]))
    mixed = profile_text(PileFile("c", "c"), decoded(TRAIN[0] + TRAIN[1]))
    assert (zh.lang, en.lang, mixed.lang) == ("zh", "en", "")
    assert "both languages" in mixed.reason and mixed.terms == ()
    zh_terms, en_terms = dict(zh.terms), dict(en.terms)
    assert "beij" in en_terms or "beijing" in en_terms
    shared = set(zh_terms) & set(en_terms)
    assert "#40" in shared  # 四十 and forty meet as one number anchor
    assert {"train", "coffe", "newspap"} & shared
    assert len(zh.sentences) == 8 and zh.paragraphs == tuple(range(8))


def test_pile_is_paired_by_content_and_partnerless_file_stays_alone(tmp_path):
    texts = {"q81": TEA[0], "zz": TEA[1], "m1": TRAIN[0], "a0": TRAIN[1], "x": MEDICINE[0], "k9": MEDICINE[1],
             "lonely": DUMPLINGS}
    profiles, matching = match_files(write_pile(tmp_path, texts))
    got = {(profiles[m.zh].file.label, profiles[m.en].file.label) for m in matching.pairs}
    assert got == {("q81", "zz"), ("m1", "a0"), ("x", "k9")}
    assert all(m.score >= matching.threshold for m in matching.pairs)
    (alone,) = matching.alone
    assert profiles[alone.file].file.label == "lonely" and alone.reason


def test_same_pairs_whatever_the_names_and_order(tmp_path):
    texts = [TEA[0], TEA[1], TRAIN[0], TRAIN[1], MEDICINE[0], MEDICINE[1], DUMPLINGS]
    results = []
    for seed in (1, 2, 3):
        rng = random.Random(seed)
        order = texts[:]
        rng.shuffle(order)
        folder = tmp_path / str(seed)
        folder.mkdir()
        names = {f"{rng.getrandbits(32):08x}": t for t in order}
        profiles, matching = match_files(write_pile(folder, names))
        results.append((pairs_by_text(profiles, matching), sorted(m.score for m in matching.pairs)))
    assert results[0] == results[1] == results[2]
    assert len(results[0][0]) == 3


def test_texts_that_are_not_translations_stay_alone_with_their_best_candidate(tmp_path):
    profiles, matching = match_files(write_pile(tmp_path, {"a": TEA[0], "b": TRAIN[1]}))
    assert matching.pairs == ()
    alone = {profiles[a.file].file.label: a for a in matching.alone}
    assert profiles[alone["a"].best].file.label == "b" and profiles[alone["b"].best].file.label == "a"
    assert alone["a"].score < matching.threshold and "< threshold 0.45" in alone["a"].reason


def test_an_unreachable_threshold_pairs_nothing(tmp_path):
    files = write_pile(tmp_path, {"a": TEA[0], "b": TEA[1], "c": TRAIN[0], "d": TRAIN[1]})
    _, default = match_files(files)
    profiles, strict = match_files(files, Config(match=MatchConfig(enabled=True, threshold=1.0)))
    assert len(default.pairs) == 2
    assert [m for m in strict.pairs if m.score < 1.0] == []
    assert len(strict.pairs) + len(strict.alone) // 2 == 2


def test_index_proposes_no_pair_that_shares_no_term():
    def prof(key, lang, terms):
        return Profile(key, PileFile(key, key), key, lang, "", ("s",), (0,), tuple(sorted(terms.items())), 0.0)

    profiles = [prof("z1", "zh", {"tea": 1.0, "garden": 1.0}), prof("z2", "zh", {"train": 2.0}),
                prof("e1", "en", {"tea": 3.0, "mountain": 1.0}), prof("e2", "en", {"coffe": 1.0})]
    index = build_index(profiles, postings=10)
    found = find_candidates(index, "zh", 0, 2, terms=5, keep=3) + find_candidates(index, "en", 0, 2, terms=5, keep=3)
    assert {(c.zh, c.en) for c in found} == {(0, 2)}
    assert 0 < found[0].similarity < 1


def test_assignment_is_one_to_one_best_first_with_threshold():
    def prof(key, lang):
        return Profile(key, PileFile(key, key), key, lang, "", (), (), (), 0.0)

    profiles = [prof("z1", "zh"), prof("z2", "zh"), prof("e1", "en"), prof("e2", "en"), prof("e3", "en")]
    scored = [Scored(0, 2, 0.2, 0.9), Scored(1, 2, 0.3, 0.8), Scored(1, 3, 0.1, 0.3), Scored(0, 4, 0.1, 0.7)]
    m = assign(profiles, scored, threshold=0.4)
    assert {(p.zh, p.en) for p in m.pairs} == {(0, 2)}
    alone = {a.file: a for a in m.alone}
    assert alone[1].best == 2 and "paired with z1" in alone[1].reason  # its best was taken
    assert alone[3].best == 1 and "0.30 < threshold 0.40" in alone[3].reason
    assert alone[4].best == 0


def test_specs_keep_name_pairs_and_list_every_document():
    named = [DocSpec("tea", "pair", ("d/tea.zh.txt", "d/tea.en.txt"))]
    specs, pile = split_pile(named + [DocSpec("u", "mixed", ("d/u.txt",), ("pair incomplete: u.en.txt not found",)),
                                      DocSpec("v", "mixed", ("d/v.txt",))])
    assert specs == named and [f.label for f in pile] == ["u", "v"] and pile[0].notes == ()

    def prof(key, label, lang):
        return Profile(key, PileFile(f"d/{label}.txt", label), f"d/{label}.txt", lang, "", (), (), (), 0.0)

    profiles = [prof("k1", "u", "zh"), prof("k2", "v", "en"), prof("k3", "w", "en")]
    matching = assign(profiles, [Scored(0, 1, 0.2, 0.8), Scored(0, 2, 0.1, 0.1)], 0.4)
    out, entries = matched_specs(specs, profiles, matching)
    assert [(s.doc_id, s.kind) for s in out] == [("tea", "pair"), ("u+v", "pair"), ("w", "mixed")]
    lines = document_lines(entries)
    assert lines[0] == "doc_id\tzh_file\ten_file\tscore\treason\n"
    assert lines[1] == "tea\td/tea.zh.txt\td/tea.en.txt\t\t\n"
    assert lines[2] == "u+v\td/u.txt\td/v.txt\t0.8000\t\n"
    assert lines[3] == "w\t\td/w.txt\t0.1000\tbest candidate d/u.txt: score 0.10 < threshold 0.40\n"


@pytest.mark.slow
def test_run_with_match_pairs_the_pile_and_writes_documents_tsv(tmp_path, prefect_harness):
    from flows.pipeline import run_flow

    folder = tmp_path / "in"
    folder.mkdir()
    write_pile(folder, {"q81": TEA[0], "zz": TEA[1], "m1": TRAIN[0], "lonely": DUMPLINGS})
    (folder / "doctors.zh.txt").write_text(MEDICINE[0], encoding="utf-8")
    (folder / "doctors.en.txt").write_text(MEDICINE[1], encoding="utf-8")
    written = run_flow([str(folder)], str(tmp_path / "out"), Config(match=MatchConfig(enabled=True)))
    with open(tmp_path / "out" / "documents.tsv", encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    assert rows[0] == ["doc_id", "zh_file", "en_file", "score", "reason"]
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {"doctors", "q81+zz", "m1", "lonely"}
    assert by_id["doctors"][3] == "" and by_id["doctors"][2].endswith("doctors.en.txt")
    assert float(by_id["q81+zz"][3]) >= 0.45 and by_id["q81+zz"][4] == ""
    assert by_id["lonely"][2] == "" and by_id["lonely"][4].startswith("best candidate")
    assert written.report["matching"]["matched_pairs"] == 1
    corpus_ids = {line.split("\t")[0] for line in open(tmp_path / "out" / "corpus.tsv", encoding="utf-8")}
    assert {"q81+zz", "doctors"} <= corpus_ids
    assert "Matching by content" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Match scores" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
