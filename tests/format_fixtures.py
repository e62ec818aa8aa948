"""Writers of small documents in every supported format, from paragraphs of sentences.

Each writer takes ``paragraphs`` (a list of lists of sentences) and returns the
file's bytes, with the boilerplate a real file of that format carries (navigation,
cookie banner and footer in HTML, code and a table in Markdown, cue numbers and
timestamps in subtitles, running headers and page numbers in PDF ...). ``MARKERS``
are strings of that boilerplate: none may reach an output pair. Used by
tests/test_readers.py and bench/formats_e2e.py.
"""
from __future__ import annotations

import html
import io
import zipfile

MARKERS = ("Home", "Contact us", "cookies", "Copyright", "tracker", "color:", "print(", "https://",
           "-->", "00:00:", "WEBVTT", "Quarterly Review", "Page ", "|", "```", "<", ">")


def _join(sentences: list[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(sentences)


def to_txt(paragraphs, lang: str) -> bytes:
    return "\n\n".join(_join(p, lang) for p in paragraphs).encode("utf-8") + b"\n"


def to_html(paragraphs, lang: str, encoding: str = "utf-8") -> bytes:
    body = "\n".join(f"<p>{html.escape(_join(p, lang))}</p>" if k % 2 == 0 else
                     f"<div class=\"para\">{html.escape(_join(p, lang))}</div>" for k, p in enumerate(paragraphs))
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{encoding}"><title>Site name | Article</title>
<link rel="stylesheet" href="https://cdn.example.com/site.css">
<style>p {{ color: red; }}</style><script>var tracker = 1;</script></head>
<body>
<header class="site-header"><a href="/">Home</a> <a href="/news">News</a></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/contact">Contact us</a></li></ul></nav>
<div id="cookie-consent">We use cookies to improve your experience. <button>Accept</button></div>
<main><article>
{body}
<img src="https://cdn.example.com/photo.jpg" alt="photo">
</article></main>
<aside class="sidebar"><h3>Related</h3><a href="/x">Other story</a></aside>
<footer>Copyright 2024 Example Corp. <a href="/privacy">Privacy</a></footer>
<script src="https://cdn.example.com/tracker.js"></script>
</body></html>"""
    return page.encode(encoding)


def to_markdown(paragraphs, lang: str) -> bytes:
    parts = ["---", "title: tracker", "---", "", "# " + paragraphs[0][0], ""]
    first = paragraphs[0][1:]
    if first:
        parts += [_join(first, lang), ""]
    parts += ["```python", "print('hello')", "```", "",
              "| col | value |", "|-----|-------|", "| a | 1 |", ""]
    for p in paragraphs[1:]:
        linked = [f"[{s}](https://example.com/{k})" if k == 0 else s for k, s in enumerate(p)]
        parts += [_join(linked, lang), ""]
    parts += ["![figure](https://example.com/fig.png)", ""]
    return "\n".join(parts).encode("utf-8")


def _cues(paragraphs, lang: str) -> list[str]:
    """Sentences cut into cues: English ones of more than six words in two halves."""
    cues = []
    for p in paragraphs:
        for s in p:
            words = s.split()
            if lang == "en" and len(words) > 6:
                half = len(words) // 2
                cues += [" ".join(words[:half]), " ".join(words[half:])]
            else:
                cues.append(s)
    return cues


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"


def to_srt(paragraphs, lang: str) -> bytes:
    blocks = []
    for k, cue in enumerate(_cues(paragraphs, lang)):
        start = 2.0 * k
        text = f"<i>{cue}</i>" if k == 1 else cue
        blocks.append(f"{k + 1}\n{_stamp(start, ',')} --> {_stamp(start + 1.8, ',')}\n{text}\n")
    return "\n".join(blocks).encode("utf-8")


def to_vtt(paragraphs, lang: str) -> bytes:
    blocks = ["WEBVTT - made for a test\n", "NOTE this is a comment\n", "STYLE\n::cue { color: yellow }\n"]
    for k, cue in enumerate(_cues(paragraphs, lang)):
        start = 2.0 * k
        blocks.append(f"cue-{k}\n{_stamp(start, '.')} --> {_stamp(start + 1.8, '.')} align:start\n<v Narrator>{cue}\n")
    return "\n".join(blocks).encode("utf-8")


def to_docx(paragraphs, lang: str) -> bytes:
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Quarterly Review"
    section.footer.paragraphs[0].text = "Copyright 2024 Example Corp"
    document.add_heading(paragraphs[0][0], level=1)
    rest = [paragraphs[0][1:]] + list(paragraphs[1:])
    for p in rest:
        if p:
            para = document.add_paragraph()
            for k, s in enumerate(p):  # several runs, one bold: a paragraph is more than one run
                run = para.add_run(("" if k == 0 or lang == "zh" else " ") + s)
                run.bold = k == 1
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_epub(paragraphs, lang: str) -> bytes:
    half = max(1, len(paragraphs) // 2)
    chapters = [paragraphs[:half], paragraphs[half:]]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>""")
        items, spine = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'], \
            ['<itemref idref="nav"/>']
        for k, chapter in enumerate(reversed(chapters)):  # manifest order differs from spine order
            n = len(chapters) - k
            items.append(f'<item id="c{n}" href="text/ch{n}.xhtml" media-type="application/xhtml+xml"/>')
        for n in range(1, len(chapters) + 1):
            spine.append(f'<itemref idref="c{n}"/>')
        zf.writestr("OEBPS/content.opf", f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>Book</dc:title><dc:language>{lang}</dc:language></metadata>
<manifest>{''.join(items)}</manifest><spine>{''.join(spine)}</spine></package>""")
        zf.writestr("OEBPS/nav.xhtml", """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>
<nav epub:type="toc"><ol><li><a href="text/ch1.xhtml">Contact us</a></li></ol></nav></body></html>""")
        for n, chapter in enumerate(chapters, 1):
            body = "".join(f"<p>{html.escape(_join(p, lang))}</p>" for p in chapter)
            zf.writestr(f"OEBPS/text/ch{n}.xhtml", f"""<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter {n}</title>
<link rel="stylesheet" href="../style.css"/></head><body>{body}</body></html>""")
    return buf.getvalue()


def to_pdf(paragraphs, lang: str, encrypt: str = "", text_layer: bool = True) -> bytes:
    """A4 pages with a running header and a page number; English words hyphenated at line ends."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light" if lang == "zh" else "Helvetica"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt=encrypt or None, invariant=1)
    width, height = A4
    size, leading, per_line = 11, 15, (30 if lang == "zh" else 70)
    page = [1]

    def new_page():
        c.setFont("Helvetica", 9)
        c.drawString(72, height - 40, "Quarterly Review")
        c.drawCentredString(width / 2, 30, f"Page {page[0]}")
        page[0] += 1
        return height - 90

    if not text_layer:  # a scanned page: an image, no text
        c.rect(72, 300, 200, 200, fill=1)
        c.showPage()
        c.save()
        return buf.getvalue()
    y = new_page()
    for p in paragraphs:
        for line in _wrap(_join(p, lang), per_line, lang):
            if y < 80:
                c.showPage()
                y = new_page()
            c.setFont(font, size)
            c.drawString(72, y, line)
            y -= leading
        y -= leading  # space between paragraphs
    c.showPage()
    c.save()
    return buf.getvalue()


def _wrap(text: str, width: int, lang: str) -> list[str]:
    if lang == "zh":  # break anywhere but inside a Latin word or number, as typesetters do
        lines, start = [], 0
        while start < len(text):
            end = min(start + width, len(text))
            while start + 1 < end < len(text) and text[end - 1].isascii() and text[end].isascii() \
                    and text[end - 1].isalnum() and text[end].isalnum():
                end -= 1
            lines.append(text[start:end].strip())
            start = end
        return [line for line in lines if line]
    lines, line = [], ""
    for word in text.split():
        if len(line) + 1 + len(word) <= width:
            line = f"{line} {word}".strip()
            continue
        room = width - len(line) - 2
        if room >= 3 and len(word) >= 8 and word.isalpha():  # hyphenate a long word at the line end
            lines.append(f"{line} {word[:room]}-")
            line = word[room:]
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


WRITERS = {".txt": to_txt, ".html": to_html, ".md": to_markdown, ".srt": to_srt, ".vtt": to_vtt,
           ".docx": to_docx, ".epub": to_epub, ".pdf": to_pdf}


def to_tmx(pairs: list[tuple[str, str]]) -> bytes:
    units = "".join(f'<tu><tuv xml:lang="zh-CN"><seg>{html.escape(zh)}</seg></tuv>'
                    f'<tuv xml:lang="en-US"><seg>{html.escape(en)}</seg></tuv></tu>\n' for zh, en in pairs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "https://example.com/tmx14.dtd">
<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="test" creationtoolversion="1" o-tmf="none"/><body>
{units}</body></tmx>""".encode("utf-8")
