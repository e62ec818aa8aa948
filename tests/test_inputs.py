import os

import pytest

from aligners.io.inputs import DocSpec, discover, read_document, safe_label


def write(path, text="", data=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data if data is not None else text.encode("utf-8"))


def test_folder_conventions(tmp_path):
    write(tmp_path / "news.zh.txt", "中文。")
    write(tmp_path / "news.en.txt", "English.")
    write(tmp_path / "mixed.txt", "中文。 English.")
    write(tmp_path / "sub" / "deep.txt", "Deep.")
    write(tmp_path / "notes.json", "not a document")
    write(tmp_path / ".hidden.txt", "ignored")
    specs, skipped = discover([str(tmp_path)])
    assert [(s.doc_id, s.kind, len(s.paths)) for s in specs] == [
        ("mixed", "mixed", 1), ("news", "pair", 2), ("sub/deep", "mixed", 1)]
    pair = specs[1]
    assert pair.paths[0].endswith("news.zh.txt") and pair.paths[1].endswith("news.en.txt")
    assert [(os.path.basename(s.path), s.reason) for s in skipped] == [("notes.json", "not a supported file type (.docx, .epub, .htm, .html, .markdown, .md, .pdf, .srt, .tmx, .tsv, .txt, .vtt, .xhtml)")]


def test_pair_with_one_side_missing_becomes_a_single_document_with_a_note(tmp_path):
    write(tmp_path / "lonely.zh.txt", "中文。")
    (spec,), _ = discover([str(tmp_path)])
    assert spec.kind == "mixed" and spec.doc_id == "lonely"
    assert "lonely.en.txt not found" in spec.notes[0]
    doc = read_document(spec)
    assert doc.sources[0].text == "中文。"
    assert any("not found" in n for n in doc.sources[0].notes)


def test_explicit_files_pair_up_too(tmp_path):
    write(tmp_path / "a.zh.txt", "中文。")
    write(tmp_path / "a.en.txt", "English.")
    specs, _ = discover([str(tmp_path / "a.en.txt"), str(tmp_path / "a.zh.txt")])
    assert [(s.doc_id, s.kind) for s in specs] == [("a", "pair")]


def test_same_name_in_two_inputs_gets_distinct_ids(tmp_path):
    write(tmp_path / "x" / "doc.txt", "One.")
    write(tmp_path / "y" / "doc.txt", "Two.")
    specs, _ = discover([str(tmp_path / "x"), str(tmp_path / "y")])
    assert sorted(s.doc_id for s in specs) == ["doc", "doc~2"]


def test_missing_input_and_symlink_loop_are_reported_not_raised(tmp_path):
    write(tmp_path / "ok.txt", "Fine.")
    os.symlink("loop_b", tmp_path / "loop_a.txt")
    os.symlink("loop_a.txt", tmp_path / "loop_b")
    os.symlink(".", tmp_path / "self")  # a folder link pointing at its own parent
    specs, skipped = discover([str(tmp_path), str(tmp_path / "absent")])
    assert [s.doc_id for s in specs] == ["ok"]
    reasons = {os.path.basename(s.path): s.reason for s in skipped}
    assert reasons["absent"] == "no such file or folder"
    assert reasons["loop_a.txt"] == "symlink loop"
    assert reasons["self"] == "symlinked folder not followed"


def test_unreadable_file_becomes_a_rejected_source(tmp_path, monkeypatch):
    write(tmp_path / "secret.txt", "text")
    real_open = open

    def deny(path, *a, **k):
        if str(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    doc = read_document(DocSpec("secret", "mixed", (str(tmp_path / "secret.txt"),)))
    assert doc.sources[0].error == "cannot read: permission denied"
    assert not doc.ok


@pytest.mark.parametrize("name, expected", [
    ("plain", "plain"),
    ("tab\there", "tab\\u0009here"),
    ("line\nbreak", "line\\u000abreak"),
    ("rtl\u202eevil", "rtl\\u202eevil"),
    ("bad\udcffbyte", "bad\ufffdbyte"),
    ("../../etc/passwd", "../../etc/passwd"),  # kept as a label; never used as a path
])
def test_safe_label(name, expected):
    assert safe_label(name) == expected
