"""Every input format: known sentence pairs come out in corpus.tsv, boilerplate does not.

Fixtures are generated in the test (tests/format_fixtures.py); python-docx and
reportlab (test extras) write the DOCX and PDF files.
"""
import csv
import io
import os
import socket
import zipfile

import pytest
import regex

from aligners.config import Config, DecodeConfig
from aligners.io import readers
from aligners.io import tsv as write
from aligners.io.inputs import discover, read_document
from aligners.pipeline import process_document

from format_fixtures import MARKERS, WRITERS, to_docx, to_html, to_pdf, to_tmx

ZH = [["我昨天晚上没有离开那里。", "陈清扬说她错了。", "我们在山上住了三年。"],
      ["那年夏天天气很热。", "他每天早上去河边打水。", "后来我们回到了北京。"]]
EN = [["I did not leave that place last night.", "Chen Qingyang said that she was wrong.",
       "We lived on the mountain for three years."],
      ["The weather was very hot that summer.", "Every morning he went down to the river to fetch water.",
       "Later we went back to Beijing."]]
PAIRS = [(z, e) for zp, ep in zip(ZH, EN) for z, e in zip(zp, ep)]


def key(text: str) -> str:
    return "".join(regex.findall(r"[\p{L}\p{N}]+", text)).lower()


def run_folder(folder, tmp_path, config=Config()):
    """discover -> read -> process -> corpus.tsv; the rows of corpus.tsv and the results."""
    specs, skipped = discover([str(folder)])
    results = [process_document(read_document(s, config.decode), config) for s in specs]
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    write.write_tables(results, str(out))
    return read_corpus(out), results, skipped


def read_corpus(out):
    with open(out / "corpus.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_library_job_over_a_folder_of_formats(tmp_path):
    from aligners.job import process_corpus

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "book.zh.epub").write_bytes(WRITERS[".epub"](ZH, "zh"))
    (folder / "book.en.pdf").write_bytes(WRITERS[".pdf"](EN, "en"))
    (folder / "bad.docx").write_bytes(b"PK\x03\x04 not really")
    written = process_corpus([str(folder)], str(tmp_path / "out"))
    rows = read_corpus(tmp_path / "out")
    assert {r["doc_id"] for r in rows} == {"book"}
    assert_clean_pairs(rows)
    assert [r["doc_id"] for r in written.report["files_rejected"]] == ["bad"]
    assert written.report["removed_by_readers"]["EPUB: navigation documents"] == 1


def assert_clean_pairs(rows, pairs=PAIRS):
    got = {(key(r["zh"]), key(r["en"])) for r in rows}
    for zh, en in pairs:
        assert (key(zh), key(en)) in got, f"missing pair {zh} / {en}; got {[(r['zh'], r['en']) for r in rows]}"
    for r in rows:
        for marker in MARKERS:
            assert marker not in r["zh"] and marker not in r["en"], (marker, r)


@pytest.mark.parametrize("zh_ext,en_ext", [(".html", ".html"), (".md", ".md"), (".docx", ".docx"),
                                           (".epub", ".epub"), (".pdf", ".pdf"), (".srt", ".srt"),
                                           (".vtt", ".srt"), (".docx", ".pdf"), (".txt", ".html")])
def test_every_format_gives_the_known_pairs_and_no_boilerplate(tmp_path, zh_ext, en_ext):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"doc.zh{zh_ext}").write_bytes(WRITERS[zh_ext](ZH, "zh"))
    (folder / f"doc.en{en_ext}").write_bytes(WRITERS[en_ext](EN, "en"))
    rows, results, skipped = run_folder(folder, tmp_path)
    assert not skipped and [r.kind for r in results] == ["pair"]
    assert not results[0].error
    assert_clean_pairs(rows)


@pytest.mark.parametrize("ext", [".html", ".md", ".docx", ".epub", ".pdf", ".srt", ".vtt"])
def test_paragraphs_kept_and_removals_counted(ext):
    dec = readers.read_bytes(WRITERS[ext](EN, "en"), f"x{ext}")
    assert not dec.error
    paragraphs = dec.text.split("\n\n")
    if ext in (".srt", ".vtt"):  # subtitles have no paragraphs: the cues become running text
        assert key(dec.text) == key(" ".join(s for p in EN for s in p))
    else:  # the Markdown and DOCX fixtures make the first sentence a heading: a block of its own
        blocks = [[EN[0][0]], EN[0][1:], *EN[1:]] if ext in (".md", ".docx") else EN
        assert [key(p) for p in paragraphs] == [key(" ".join(p)) for p in blocks]
    assert dec.removed and all(n > 0 for _, n in dec.removed)
    assert any("left out" in n for n in dec.notes)


def test_what_each_reader_leaves_out_is_named():
    removed = {ext: dict(readers.read_bytes(WRITERS[ext](EN, "en"), f"x{ext}").removed)
               for ext in (".html", ".md", ".srt", ".vtt", ".docx", ".pdf", ".epub")}
    assert {"navigation blocks", "footers", "cookie banners", "scripts", "page headers", "asides",
            "page titles", "images"} <= set(removed[".html"])
    assert {"code blocks", "tables", "link targets", "images", "front matter blocks"} <= set(removed[".md"])
    assert removed[".srt"]["timestamps"] == removed[".srt"]["cue numbers"] >= 6
    assert removed[".vtt"]["timestamps"] == removed[".vtt"]["cue identifiers"] >= 6
    assert {"header blocks", "notes", "style sheets"} <= set(removed[".vtt"])
    assert {"page headers", "page footers"} <= set(removed[".docx"])
    assert removed[".pdf"]["page numbers"] >= 1 and "running headers and footers" in removed[".pdf"]
    assert removed[".epub"]["navigation documents"] == 1


def test_pdf_lines_rejoined_across_hyphens_and_page_breaks():
    long_en = [[" ".join(["The committee examined the extraordinarily complicated arrangements carefully."] * 3)]
               for _ in range(30)]  # about two pages; paragraphs run over page breaks
    dec = readers.read_bytes(to_pdf(long_en, "en"), "x.pdf")
    paragraphs = dec.text.split("\n\n")
    assert len(paragraphs) == 30
    assert all(p == long_en[0][0] for p in paragraphs), paragraphs[:2]
    assert dict(dec.removed)["page numbers"] >= 2


def test_html_in_gbk_declared_in_a_meta_tag():
    dec = readers.read_bytes(to_html(ZH, "zh", encoding="gbk"), "x.html")
    assert not dec.error and dec.encoding == "HTML/gb18030"
    assert "陈清扬说她错了。" in dec.text


def test_html_declared_charset_that_does_not_fit_is_guessed_and_noted():
    data = to_html(ZH, "zh").replace(b'charset="utf-8"', b'charset="shift_jis"').replace(b"<p>", b"<p>\xff\xfe", 1)
    dec = readers.read_bytes(data, "x.html")
    assert "陈清扬说她错了。" in dec.text
    assert any("declared charset 'shift_jis' does not fit" in n for n in dec.notes)


def test_tmx_pairs_are_kept_as_pairs_and_rescored(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    wrong = ("他买了一辆新车。", "The meeting was postponed until next spring.")
    (folder / "memory.tmx").write_bytes(to_tmx(PAIRS[:3] + [wrong] + PAIRS[3:]).replace(
        b"</body>", b'<tu><tuv xml:lang="en"><seg>Only English here.</seg></tuv></tu></body>'))
    rows, results, _ = run_folder(folder, tmp_path)
    (res,) = results
    assert res.kind == "bitext" and not res.error
    assert_clean_pairs(rows)
    assert len(rows) == len(PAIRS)  # the unrelated pair is re-scored and left unpaired
    assert not any(key(wrong[1]) == key(r["en"]) for r in rows)
    assert f"{len(PAIRS)} of {len(PAIRS) + 1} pairs kept" in res.stats["notes"]
    assert dict(res.sources[0].removed)["units without both a Chinese and an English segment"] == 1


def test_two_column_tsv_in_either_order(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = [f"{en}\t{zh}" for zh, en in PAIRS] + ["a line with one column"]
    (folder / "pairs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows, results, _ = run_folder(folder, tmp_path)
    assert_clean_pairs(rows)
    assert dict(results[0].sources[0].removed)["lines without exactly two columns"] == 1


def test_names_pair_across_formats_and_other_files_are_single_documents(tmp_path):
    for name in ("a.zh.html", "a.en.pdf", "b.md", "c.vtt", "d.tmx", "e.odt", "f.zh.docx"):
        (tmp_path / name).write_bytes(b"x")
    specs, skipped = discover([str(tmp_path)])
    assert [(s.doc_id, s.kind, [os.path.basename(p) for p in s.paths]) for s in specs] == [
        ("a", "pair", ["a.zh.html", "a.en.pdf"]), ("b", "mixed", ["b.md"]), ("c", "mixed", ["c.vtt"]),
        ("d", "bitext", ["d.tmx"]), ("f", "mixed", ["f.zh.docx"])]
    assert [os.path.basename(s.path) for s in skipped] == ["e.odt"]


# --- bad files: a clear reason each, and the run goes on -----------------------------------

def _zip(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _drm_epub() -> bytes:
    """An EPUB whose chapter is listed in META-INF/encryption.xml."""
    book = zipfile.ZipFile(io.BytesIO(WRITERS[".epub"](EN, "en")))
    members = {name: book.read(name) for name in book.namelist()}
    members["META-INF/encryption.xml"] = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:CipherData>'
        '<enc:CipherReference URI="OEBPS/text/ch1.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>')
    return _zip(members)


def bad_files() -> dict:
    docx = to_docx(EN, "en")
    return {
        "notdocx.docx": (_zip({"hello.txt": "hello"}), "not a DOCX file (a zip archive without a Word document part)"),
        "truncated.docx": (docx[: len(docx) // 2], "damaged or truncated DOCX file"),
        "plain.docx": (b"just some text", "not a DOCX file (not a zip archive)"),
        "bomb.docx": (_zip({"word/document.xml": b"<" + b" " * 20_000_000}), "expands beyond the size limit"),
        "notepub.epub": (_zip({"mimetype": "x"}), "not an EPUB file (META-INF/container.xml missing)"),
        "drm.epub": (_drm_epub(), "encrypted EPUB (DRM): chapters cannot be read"),
        "legacy.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an encrypted or legacy Word file"),
        "encrypted.pdf": (to_pdf(EN, "en", encrypt="secret"), "encrypted PDF (a password is needed)"),
        "scanned.pdf": (to_pdf(EN, "en", text_layer=False), "no text layer in 1 page(s)"),
        "cut.pdf": (to_pdf(EN, "en")[:300], "damaged or truncated PDF"),
        "broken.tmx": (b"<tmx><body><tu>", "the TMX file is not well-formed XML"),
        "empty.srt": (b"1\n00:00:01,000 --> 00:00:02,000\n\n", "no text found in the SRT file"),
    }


def test_bad_files_are_listed_with_a_reason_and_the_rest_runs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _) in bad_files().items():
        (folder / name).write_bytes(data)
    (folder / "good.zh.html").write_bytes(to_html(ZH, "zh"))
    (folder / "good.en.md").write_bytes(WRITERS[".md"](EN, "en"))
    rows, results, _ = run_folder(folder, tmp_path)
    errors = {r.doc_id: r.error for r in results}
    for name, (_, reason) in bad_files().items():
        doc_id = name.rsplit(".", 1)[0]
        assert reason in errors[doc_id], (name, errors[doc_id])
    assert errors["good"] == ""
    assert_clean_pairs([r for r in rows if r["doc_id"] == "good"])


def test_huge_files_are_bounded(tmp_path):
    small = DecodeConfig(max_bytes=10_000)
    big_html = to_html([["word " * 5000]], "en")
    assert "file too large" in readers.read_bytes(big_html, "x.html", small).error
    big_xml = _zip({"word/document.xml": b"<w:document>" + b"a" * 50_000 + b"</w:document>"})
    assert "size limit" in readers.read_bytes(big_xml, "x.docx", small).error


def test_nothing_is_fetched_and_no_entity_is_resolved(tmp_path, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")

    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    xxe = (f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<tmx><body><tu><tuv xml:lang="zh"><seg>你好&x;。</seg></tuv><tuv xml:lang="en"><seg>Hello&x;.</seg>'
           '</tuv></tu></body></tmx>').encode()
    zh, en = readers.read_bitext(xxe, "x.tmx")
    assert "TOPSECRET" not in zh.text + en.text and "你好" in zh.text
    for ext, writer in WRITERS.items():
        assert not readers.read_bytes(writer(EN, "en"), f"x{ext}").error, ext
    docx_xxe = _zip({"word/document.xml": f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
                     '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                     '<w:p><w:r><w:t>Hello &x; world.</w:t></w:r></w:p></w:body></w:document>'})
    dec = readers.read_bytes(docx_xxe, "x.docx")
    assert "TOPSECRET" not in dec.text and "Hello" in dec.text


def test_report_counts_what_the_readers_left_out(tmp_path):
    from aligners.report.summary import build_report, render_markdown

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "doc.zh.html").write_bytes(to_html(ZH, "zh"))
    (folder / "doc.en.srt").write_bytes(WRITERS[".srt"](EN, "en"))
    _, results, _ = run_folder(folder, tmp_path)
    rep = build_report(results)
    removed = rep["removed_by_readers"]
    assert removed["HTML: navigation blocks"] == 1 and removed["HTML: cookie banners"] == 1
    assert removed["SRT: timestamps"] == removed["SRT: cue numbers"] > 0
    assert "## Left out by the format readers" in render_markdown(rep)


@pytest.mark.parametrize("page,paragraphs,removed", [
    ('<div id="header"><span>Example News</span></div><div class="content"><div class="article-header">'
     '<h1>Title here</h1></div><p>Body text.</p></div><div class="copyright">(c) 2020</div>',
     ["Title here", "Body text."], {"page headers": 1, "footers": 1}),
    ('<div class="page has-sidebar"><p>' + "Long article text. " * 20 + '</p><div class="sidebar">Links</div></div>',
     ["Long article text. " * 19 + "Long article text."], {"asides": 1}),
    ("<p>我们<ruby>北<rt>bei</rt>京</ruby>见。</p><p hidden>Secret</p><p style='display: none'>Gone</p>",
     ["我们北京见。"], {"ruby annotations": 1, "hidden elements": 2}),
    ("<p>One line<br>two line</p><blockquote>Quoted.</blockquote><ul><li>Item one.</li><li>Item two.</li></ul>",
     ["One line\ntwo line", "Quoted.", "Item one.", "Item two."], {}),
    ("<div>" * 5000 + "Deep text." + "</div>" * 5000, ["Deep text."], {}),
    ('<pre class="language-python">x = 1</pre><pre>Poem line one\nline two</pre><pre><code>y()</code></pre>',
     ["Poem line one\nline two"], {"code blocks": 2}),
])
def test_html_blocks_and_boilerplate(page, paragraphs, removed):
    from aligners.io.readers.html import extract

    out = extract(f"<html><body>{page}</body></html>")
    assert out.paragraphs == paragraphs
    assert dict(out.removed) == removed


def test_markdown_reference_links_and_indented_code_are_counted():
    from aligners.io.readers.markdown import extract

    out = extract("Some [text][1] here.\n\n    indented code\n\n<!-- note -->\n\n[1]: https://example.org\n")
    assert out.paragraphs == ["Some text here."]
    assert dict(out.removed) == {"link definitions": 1, "link targets": 1, "code blocks": 1, "HTML blocks": 1}


@pytest.mark.slow
def test_flow_over_a_folder_of_formats(prefect_harness, tmp_path):
    import json

    from flows.pipeline import run

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.zh.html").write_bytes(to_html(ZH, "zh"))
    (folder / "a.en.docx").write_bytes(to_docx(EN, "en"))
    (folder / "b.zh.vtt").write_bytes(WRITERS[".vtt"](ZH, "zh"))
    (folder / "b.en.srt").write_bytes(WRITERS[".srt"](EN, "en"))
    (folder / "memory.tmx").write_bytes(to_tmx(PAIRS))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    out = tmp_path / "out"
    run([str(folder)], str(out))
    with open(out / "corpus.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert_clean_pairs([r for r in rows if r["doc_id"] == "a"])
    assert_clean_pairs(rows)
    # b and memory hold the same pairs as a: written once, their copies marked duplicate
    with open(out / "segments.tsv", encoding="utf-8", newline="") as fh:
        segments = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for doc_id in ("b", "memory"):
        statuses = {s["status"] for s in segments if s["doc_id"] == doc_id}
        assert statuses == {"duplicate"}, (doc_id, statuses)
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["removed_by_readers"]["HTML: navigation blocks"] == 1
    assert rep["removed_by_readers"]["WebVTT: timestamps"] > 0
    assert [r["doc_id"] for r in rep["files_rejected"]] == ["broken"]
    memory = next(d for d in rep["per_document"] if d["doc_id"] == "memory")
    assert f"{len(PAIRS)} of {len(PAIRS)} pairs kept" in memory["notes"]


def test_pdf_words_or_glyphs_placed_one_by_one():
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 11)
    x = 72
    for word in "Each word is placed alone.".split():  # no space characters, gaps only
        c.drawString(x, 700, word)
        x += stringWidth(word, "Helvetica", 11) + 3
    c.setFont("Helvetica", 14)
    x = 72
    for ch in "Glyph by glyph: mmm iii WWW.":  # the spaces are glyphs too, no gaps
        c.drawString(x, 640, ch)
        x += stringWidth(ch, "Helvetica", 14)
    c.showPage()
    c.save()
    dec = readers.read_bytes(buf.getvalue(), "x.pdf")
    assert dec.text.split("\n\n") == ["Each word is placed alone.", "Glyph by glyph: mmm iii WWW."]


def test_subtitles_without_blank_lines_between_cues_lose_every_number_and_timestamp():
    from aligners.io.readers.subtitles import extract

    srt = ("\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nHello there,\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\n"
           "<i>my friend.</i>\r\n\r\n3\r\n00:00:05,000 --> 00:00:06,000\r\n{\\an8}The year\r\n1984\r\n\r\n"
           "4\r\n00:00:07,000 --> 00:00:08,000\r\nwas cold.\r\n")
    out = extract(srt)
    assert out.paragraphs == ["Hello there, my friend. The year 1984 was cold."]
    assert dict(out.removed) == {"timestamps": 4, "cue numbers": 4, "formatting tags": 3}


def test_html_link_lists_go_and_sentences_with_links_stay():
    from aligners.io.readers.html import extract

    out = extract("<body><p><a href=/>Home</a> | <a href=/n>News</a> | <a>Contact</a></p>"
                  "<p>He said <a href=x>this</a> and <a>that</a> were fine, and left the room.</p>"
                  "<div class=bottom><a>关于我们</a>|<a>联系我们</a></div></body>")
    assert out.paragraphs == ["He said this and that were fine, and left the room."]
    assert dict(out.removed) == {"link lists": 2}
    only_links = extract("<body><ul><li><a>Chapter one</a></li><li><a>Chapter two</a></li></ul></body>")
    assert only_links.paragraphs == ["Chapter one", "Chapter two"]  # the whole page: kept


def test_html_unlabelled_copyright_and_cookie_notices_go_articles_about_them_stay():
    from aligners.io.readers.html import extract

    story = "The bakery's cookie sales rose, and the owner said customers accept higher prices. " * 5
    out = extract("<body><div>© 2019 Example News. All rights reserved.</div>"
                  "<div>We use cookies. By continuing you agree to our policy. <a>OK</a></div>"
                  "<div>本网站使用Cookie。继续浏览即表示您同意。</div>"
                  f"<p>{story}</p><p>Copyright law was the topic.</p></body>")
    assert out.paragraphs == [story.strip(), "Copyright law was the topic."]
    assert dict(out.removed) == {"cookie banners": 2, "footers": 1}
