"""Discovery of inputs given the way users give them: twice, upper-case, pairs from two folders."""
from aligners.io.inputs import discover


def write(folder, name, text="x\n"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def test_the_same_file_given_twice_is_read_once(tmp_path):
    f = write(tmp_path / "in", "a.txt")
    specs, _ = discover([str(tmp_path / "in"), str(tmp_path / "in"), f, str(tmp_path / "in") + "/"])
    assert [(s.doc_id, s.paths) for s in specs] == [("a", (str(tmp_path / "in" / "a.txt"),))]


def test_upper_case_suffixes_pair(tmp_path):
    write(tmp_path, "Y.ZH.TXT")
    write(tmp_path, "Y.EN.TXT")
    specs, skipped = discover([str(tmp_path)])
    assert [(s.doc_id, s.kind) for s in specs] == [("Y", "pair")] and skipped == []


def test_pair_files_named_from_two_folders_pair(tmp_path):
    zh, en = write(tmp_path / "zh", "x.zh.txt"), write(tmp_path / "en", "x.en.txt")
    specs, _ = discover([zh, en])
    assert [(s.doc_id, s.kind, s.paths) for s in specs] == [("x", "pair", (zh, en))]


def test_pairs_within_a_folder_come_first(tmp_path):
    a = write(tmp_path / "a", "x.zh.txt")
    c_zh, c_en = write(tmp_path / "c", "x.zh.txt"), write(tmp_path / "c", "x.en.txt")
    b = write(tmp_path / "b", "x.en.txt")
    specs, _ = discover([a, b, c_zh, c_en])
    assert sorted(s.paths for s in specs) == [(a, b), (c_zh, c_en)]
