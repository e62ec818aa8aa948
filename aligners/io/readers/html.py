"""HTML: the text of block elements, one paragraph each, without the page's boilerplate.

Parsed with selectolax (the Lexbor HTML5 parser: tolerant of broken markup, never
loads anything). Left out, and counted: the head (title, meta), scripts, styles,
forms, embedded objects, navigation, page headers and footers, asides, cookie and
consent banners, share buttons, advertisements, hidden elements, code blocks and
ruby annotations. Boilerplate is recognised by element (``nav``, ``footer``,
``aside``, ``header`` outside an article), by ARIA role, by class/id words
(``cookie``, ``menu``, ``sidebar`` ...), by link density (a block of links with
little other text), and by the words of short copyright and cookie notices; an element matched only by a class/id word is kept when it
holds half of the page's text or more, since boilerplate is never the bulk of a page. The extractor was chosen by ``bench/formats_html.py``.

The character encoding: a byte-order mark, else the ``<meta charset>`` declaration
(GB2312/GBK read as their superset GB18030) when the bytes decode strictly with it,
else the plain-text decoder's guess (noted).
"""
from __future__ import annotations

import codecs

import regex

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes
from aligners.types import Decoded

from .common import Extract

_META_CHARSET = regex.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", regex.IGNORECASE)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
              "big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}

# elements whose whole content is left out, and what the report calls them
_DROP_TAGS = {
    "script": "scripts", "style": "style sheets", "noscript": "noscript blocks", "template": "templates",
    "iframe": "embedded frames", "object": "embedded objects", "embed": "embedded objects",
    "svg": "images", "canvas": "images", "img": "images", "video": "media", "audio": "media",
    "form": "forms", "button": "buttons", "select": "forms", "textarea": "forms", "input": "forms",
    "nav": "navigation blocks", "aside": "asides", "footer": "footers", "menu": "navigation blocks",
    "rt": "ruby annotations", "rp": "ruby annotations", "dialog": "dialogs",
}
_ROLES = {"navigation": "navigation blocks", "banner": "page headers", "contentinfo": "footers",
          "complementary": "asides", "search": "search boxes", "dialog": "dialogs", "alertdialog": "dialogs",
          "menu": "navigation blocks", "menubar": "navigation blocks"}
_CLASS_WORDS = {
    "cookie": "cookie banners", "cookies": "cookie banners", "consent": "cookie banners", "gdpr": "cookie banners",
    "nav": "navigation blocks", "navbar": "navigation blocks", "navigation": "navigation blocks",
    "menu": "navigation blocks", "breadcrumb": "navigation blocks", "breadcrumbs": "navigation blocks",
    "footer": "footers", "sidebar": "asides", "share": "share buttons", "social": "share buttons",
    "ad": "advertisements", "ads": "advertisements", "advert": "advertisements",
    "advertisement": "advertisements", "sponsored": "advertisements", "related": "related links",
    "comments": "comments", "copyright": "footers", "masthead": "page headers", "topbar": "page headers",
    "header": "page headers",
}
# class/id words that name the page's header only outside the article and without the
# page's h1 ("article-header" holds the title)
_OUTSIDE_ARTICLE = frozenset({"header", "masthead", "topbar"})
_WORD_SPLIT = regex.compile(r"[\s_\-]+")
_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article main header figure figcaption "
    "caption table tr td th address pre hr center details summary body html".split())
# blocks judged by their link density, and the share of link text that makes one a link list
_LINK_BLOCKS = frozenset("p div ul ol li td section span".split())
LINK_DENSITY = 0.8
# copyright lines and cookie notices are short: a longer block is an article that mentions them
NOTICE_CHARS = 300
_COPYRIGHT = regex.compile(r"©|\(c\)\s*(?:19|20)\d\d|\bcopyright\s*(?:©|\(c\)|(?:19|20)\d\d)|all rights reserved"
                           r"|版权所有|保留所有权利|版權所有",
                           regex.IGNORECASE)
_COOKIE = regex.compile(r"cookie", regex.IGNORECASE)
_CONSENT = regex.compile(r"\b(?:accept|agree|consent|continu\w*|privacy|policy)\b|同意|接受|继续|隐私", regex.IGNORECASE)
_LETTER = regex.compile(r"[\p{L}\p{N}]")
_HIDDEN_STYLE = regex.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", regex.IGNORECASE)


def read(data: bytes, path: str, config: DecodeConfig = DecodeConfig()) -> Decoded:
    text, encoding, notes, error = decode_html(data, path, config)
    if error:
        return Decoded(path, "", "HTML", error=error)
    out = extract(text)
    out.encoding = encoding
    out.notes = notes + out.notes
    return out.decoded(path, config)


def decode_html(data: bytes, path: str, config: DecodeConfig) -> tuple[str, str, list[str], str]:
    """(text, encoding, notes, error) for an HTML file's bytes."""
    if len(data) > config.max_bytes:
        return "", "", [], f"file too large ({len(data):,} bytes > limit {config.max_bytes:,})"
    notes = []
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        declared = m.group(1).decode("ascii").lower()
        name = _SUPERSETS.get(declared, declared)
        try:
            codecs.lookup(name)
        except LookupError:
            notes.append(f"unknown charset {declared!r} declared; encoding guessed")
        else:
            try:
                return data.decode(name), name, notes, ""
            except UnicodeDecodeError:
                notes.append(f"declared charset {declared!r} does not fit the bytes; encoding guessed")
    dec = decode_bytes(data, path, config)
    if dec.error:
        return "", "", notes, dec.error
    return dec.text, dec.encoding, notes + list(dec.notes), ""


def extract(html: str, fmt: str = "HTML") -> Extract:
    """Paragraphs of a page (or an EPUB chapter) and what was left out."""
    from selectolax.lexbor import LexborHTMLParser

    out = Extract(fmt)
    tree = LexborHTMLParser(html)
    if tree.head is not None:
        if tree.head.css_first("title") is not None:
            out.remove("page titles")
    root = tree.body or tree.root
    if root is None:
        return out
    total = len(root.text(deep=True, separator=" ").strip())
    _walk(root, out, total)
    return out


def _walk(root, out: Extract, total: int) -> None:
    """Depth-first over the tree (an explicit stack: nesting depth is the page's choice)."""
    buf: list[str] = []

    def flush() -> None:
        out.add("".join(buf))
        buf.clear()

    stack = [(root, False, False, False)]  # (node, leaving, inside an article or main, inside a pre)
    while stack:
        node, leaving, in_article, in_pre = stack.pop()
        tag = node.tag
        if leaving:
            if tag in _BLOCKS:
                flush()
            continue
        if tag == "-text":
            text = node.text(deep=False) or ""
            buf.append(text if in_pre else _space(text))  # a pre's line breaks are the text's
            continue
        if tag == "br":
            buf.append("\n")
            continue
        if tag.startswith("-"):  # comments, doctype
            continue
        what = _boilerplate(node, tag, in_article, total)
        if what:
            if tag in _BLOCKS:
                flush()
            out.remove(what)
            continue
        if tag in _BLOCKS:
            flush()
        stack.append((node, True, in_article, in_pre))
        inner = in_article or tag in ("article", "main")
        pre = in_pre or tag == "pre"
        children = list(node.iter(include_text=True))
        stack.extend((child, False, inner, pre) for child in reversed(children))
    flush()


def _boilerplate(node, tag: str, in_article: bool, total: int) -> str:
    """What the report calls this element when it is left out, else ""."""
    if tag in _DROP_TAGS:
        return _DROP_TAGS[tag]
    if tag == "header" and not in_article:
        return "page headers"
    if tag == "pre":
        return "code blocks" if node.css_first("code") is not None or _code_class(node) else ""
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return "hidden elements"
    if _HIDDEN_STYLE.search(attrs.get("style") or ""):
        return "hidden elements"
    role = (attrs.get("role") or "").lower()
    if role in _ROLES:
        return _ROLES[role]
    if tag in ("body", "html", "main", "article"):
        return ""
    if tag in _LINK_BLOCKS and _link_list(node) and not _bulk(node, total):
        return "link lists"
    if tag in _LINK_BLOCKS:
        notice = _notice(node)
        if notice:
            return notice
    for word in _words(node):
        if word in _OUTSIDE_ARTICLE and (in_article or node.css_first("h1") is not None):
            continue
        if word in _CLASS_WORDS:
            return "" if _bulk(node, total) else _CLASS_WORDS[word]
    return ""


def _bulk(node, total: int) -> bool:
    """The element holds half of the page's text or more: never boilerplate."""
    return bool(total) and 2 * len(node.text(deep=True, separator=" ").strip()) >= total


def _notice(node) -> str:
    """A short block that is a copyright line or a cookie-consent notice, by its words."""
    text = node.text(deep=True, separator=" ")
    if len(text) > NOTICE_CHARS:
        return ""
    if _COPYRIGHT.search(text):
        return "footers"
    if _COOKIE.search(text) and _CONSENT.search(text):
        return "cookie banners"
    return ""


def _link_list(node) -> bool:
    """A block of two or more links whose text is nearly all link text ("Home | News |
    Contact"): the link-density cue of boilerplate detection (Kohlschuetter et al. 2010)."""
    links = node.css("a")
    if len(links) < 2:
        return False
    text = _letters(node.text(deep=True))  # separators ("|", "·") are not text
    linked = sum(_letters(a.text(deep=True)) for a in links)
    return text > 0 and linked >= LINK_DENSITY * text


def _letters(text: str) -> int:
    return len(_LETTER.findall(text))


def _words(node) -> list[str]:
    attrs = node.attributes
    value = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return [w for w in _WORD_SPLIT.split(value) if w]


def _code_class(node) -> bool:
    """``<pre class="highlight">``, ``<pre class="language-python">``: a code listing."""
    return any(w in ("code", "highlight", "sourcecode", "language", "lang") for w in _words(node))


def _space(text: str) -> str:
    """HTML white space: any run of it renders as one space."""
    return regex.sub(r"[ \t\n\r\f]+", " ", text)
