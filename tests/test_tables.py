"""Cache files of arrays and batched string look-ups (aligners/align/tables.py), and the
CC-CEDICT tables read through them (aligners/align/dictionary.py)."""
from __future__ import annotations

import os
import random

import numpy as np

from aligners.align import dictionary, tables
from aligners.align.tables import StringTable, read_tables, write_tables


def random_words(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "中国人民银行的了在北京大学生a1-😀𠀀"  # BMP, ASCII, and characters beyond U+FFFF
    return sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(n)})


def test_every_string_is_found_at_its_row_and_no_other_string_is():
    words = random_words(3000, seed=1)
    table = StringTable.build(words)
    assert table.find(words).tolist() == list(range(len(words)))
    others = [w for w in random_words(3000, seed=2) if w not in set(words)] + ["", "中国人民银行的了在北京大学生"]
    assert (table.find(others) == -1).all()
    # read back from arrays, as from the cache file
    again = StringTable.from_arrays(table.arrays("w"), "w")
    assert again.find(words[::7]).tolist() == list(range(0, len(words), 7))


def test_a_table_file_round_trips_and_a_damaged_one_reads_as_none(tmp_path):
    path = tmp_path / "t.tables"
    arrays = {"a": np.arange(10, dtype=np.int32), "b": np.array([[1.5, -np.inf]]), "c": np.zeros(0, np.uint8)}
    write_tables(path, arrays)
    back = read_tables(path)
    assert set(back) == set(arrays) and all(np.array_equal(back[k], arrays[k]) for k in arrays)
    assert back["b"].dtype == np.float64 and back["b"].shape == (1, 2)
    blob = path.read_bytes()
    for damaged in (blob[:-1], blob[:20], b"", blob[:40] + bytes([blob[40] ^ 4]) + blob[41:]):
        path.write_bytes(damaged)
        assert read_tables(path) is None
    assert read_tables(tmp_path / "missing.tables") is None


def test_an_unwritable_cache_folder_costs_only_the_write(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        write_tables(folder / "t.tables", {"a": np.ones(3)})  # no exception
    finally:
        folder.chmod(0o700)


def test_a_rebuild_keeps_only_the_newest_files_of_its_kind(tmp_path):
    for i, name in enumerate(["cedict-0-c.marshal", "cedict-1-a.tables", "cedict-1-b.tables",
                              "cedict-1-d.tables", "wordseg-1-a.tables"]):
        (tmp_path / name).write_bytes(b"old")
        os.utime(tmp_path / name, ns=(i * 10**9, i * 10**9))  # oldest first
    write_tables(tmp_path / "cedict-2-e.tables", {"a": np.ones(3)})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cedict-1-b.tables", "cedict-1-d.tables", "cedict-2-e.tables", "wordseg-1-a.tables"]  # the two newest others
    assert read_tables(tmp_path / "cedict-2-e.tables") is not None


def test_cedict_tables_keep_every_word_sense_and_reading(tmp_path, monkeypatch):
    lines = ["說 说 [shui4] /to persuade/", "說 说 [shuo1] /to speak; to say/", "狗 狗 [gou3] /dog/",
             "陳 陈 [Chen2] /surname Chen/", "中國 中国 [Zhong1 guo2] /China/", "𠀀 𠀀 [he1] /(archaic) to breathe/"]
    glosses, readings = dictionary.parse_cedict(lines)
    arrays = dictionary.build_arrays(glosses, readings)
    words, chars = dictionary.Cedict(arrays), dictionary.Readings(arrays)
    assert dict(words.items()) == glosses and dict(chars.items()) == readings
    assert words.subset(["说", "猫", "中国", "说"]) == {"说": glosses["说"], "中国": ("china",)}
    assert words.subset(["猫", "狗", "陈"]) == {"狗": ("dog",), "陈": glosses["陈"]}
    assert words.subset([]) == {} and words.subset(["猫"]) == {}
    assert words.get("猫") is None and "狗" in words and len(words) == len(glosses)
    assert chars.get("说") == "shui" and chars.get("中国") is None and chars["𠀀"] == "he"


def test_versions_are_read_from_the_distribution_folder(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "Some_Pkg-1.2.3.dist-info").mkdir()
    (tmp_path / "other-9.dist-info").mkdir()
    assert tables.distribution_version("some-pkg", tmp_path / "pkg") == "1.2.3"
    assert tables.distribution_version("absent", tmp_path / "pkg") == "unknown"
