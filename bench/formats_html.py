"""Which HTML extractor: the selectolax reader (aligners/io/readers/html.py) or trafilatura.

News-dev articles (both sides; title + paragraphs) are put into web pages with
the boilerplate real pages carry: navigation, a cookie banner, share buttons,
related links, a footer, scripts. Four page layouts: HTML5 elements
(nav/header/footer/aside), class-named divs only ("div soup"), the same boilerplate
in plain divs that nothing labels ("unlabelled"), and bare <p>s with no
boilerplate at all. Per extractor and layout it prints:

  recall   share of article paragraphs whose letters and digits appear in the output
  exact    share of article paragraphs that come out as exactly one paragraph
  leak     share of boilerplate snippets whose letters and digits appear in the output
           (snippets that the article itself contains are not counted)
  ms/page  time per page

    python bench/formats_html.py [--data ../shared/data] [--docs 40]

Needs trafilatura (pip install -e '.[bench]'); prints only the reader's lines without it.
"""
from __future__ import annotations

import argparse
import html
import os
import sys
import time
from pathlib import Path

import regex

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligners.io.readers.html import extract  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
_KEEP = regex.compile(r"[\p{L}\p{N}]+")

BOILERPLATE = {
    "en": {"nav": ["Home", "World", "Business", "Technology", "Sport", "Opinion"],
           "cookie": "We use cookies to give you the best experience on our website. By continuing you agree to our cookie policy.",
           "share": ["Share on Facebook", "Share on Twitter", "Email this story"],
           "related": ["Markets slide as oil prices climb again", "Ten things to watch this winter"],
           "footer": "© 2019 Example News Group. All rights reserved. Terms of use. Privacy policy. Contact us."},
    "zh": {"nav": ["首页", "国际", "财经", "科技", "体育", "评论"],
           "cookie": "本网站使用Cookie以提升您的浏览体验。继续浏览即表示您同意我们的Cookie政策。",
           "share": ["分享到微博", "分享到微信", "发送邮件"],
           "related": ["油价再度上涨 股市下跌", "今年冬天值得关注的十件事"],
           "footer": "版权所有 © 2019 示例新闻集团 保留所有权利 使用条款 隐私政策 联系我们"},
}


def key(text: str) -> str:
    return "".join(_KEEP.findall(text)).lower()


def snippets(lang: str) -> list[str]:
    b = BOILERPLATE[lang]
    return b["nav"][1:] + [b["cookie"]] + b["share"] + b["related"] + [b["footer"]]


def page(paragraphs: list[str], lang: str, layout: str) -> str:
    b = BOILERPLATE[lang]
    e = html.escape
    title = e(paragraphs[0])
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs[1:])
    nav = "".join(f'<li><a href="/{k}">{e(t)}</a></li>' for k, t in enumerate(b["nav"]))
    share = "".join(f'<a href="#">{e(t)}</a>' for t in b["share"])
    related = "".join(f'<li><a href="/r{k}">{e(t)}</a></li>' for k, t in enumerate(b["related"]))
    head = f'<head><meta charset="utf-8"><title>{title} - Example News</title><script>var t=1;</script></head>'
    if layout == "bare":
        return f"<html>{head}<body><h1>{title}</h1>\n{body}</body></html>"
    if layout == "html5":
        return f"""<html>{head}<body>
<header><div class="logo">Example News</div><nav><ul>{nav}</ul></nav></header>
<div class="cookie-banner">{e(b['cookie'])}</div>
<main><article><h1>{title}</h1><div class="share">{share}</div>
{body}
</article><aside><h3>Related</h3><ul>{related}</ul></aside></main>
<footer>{e(b['footer'])}</footer><script>track();</script></body></html>"""
    if layout == "unlabelled":  # boilerplate in plain divs: no element, role or class says what it is
        navline = " | ".join(f'<a href="/{k}">{e(t)}</a>' for k, t in enumerate(b["nav"]))
        return f"""<html>{head}<body><div>
<div>{navline}</div>
<div>{e(b['cookie'])} <a href="/ok">OK</a></div>
<div><h1>{title}</h1><div>{share}</div>
{body}
</div><div><ul>{related}</ul></div>
<div>{e(b['footer'])}</div></div></body></html>"""
    return f"""<html>{head}<body><div id="wrapper">
<div class="top-menu"><ul>{nav}</ul></div>
<div id="cookie-notice">{e(b['cookie'])}</div>
<div class="content"><div class="story"><h1>{title}</h1><div class="social-links">{share}</div>
{body}
</div><div class="related-stories"><ul>{related}</ul></div></div>
<div id="site-footer">{e(b['footer'])}</div></div></body></html>"""


def ours(doc: str) -> str:
    return "\n\n".join(extract(doc).paragraphs)


def trafilatura_default(doc: str) -> str:
    import trafilatura

    return trafilatura.extract(doc, include_comments=False, include_tables=True) or ""


def trafilatura_recall(doc: str) -> str:
    import trafilatura

    return trafilatura.extract(doc, include_comments=False, include_tables=True, favor_recall=True) or ""


def load(data: Path, n_docs: int) -> list[tuple[str, list[str]]]:
    docs = []
    for en in sorted((data / "news-dev" / "raw").glob("*.en.txt"))[:n_docs]:
        for lang in ("en", "zh"):
            path = en.with_name(en.name.replace(".en.txt", f".{lang}.txt"))
            text = path.read_text(encoding="utf-8")
            paras = [p.strip() for p in regex.split(r"\n\s*\n" if "\n\n" in text else r"\n", text) if p.strip()]
            if len(paras) >= 2:
                docs.append((lang, paras))
    return docs


def measure(fn, docs, layout: str) -> dict:
    found = exact = total = leaked = snips = 0
    seconds = 0.0
    for lang, paras in docs:
        doc = page(paras, lang, layout)
        t0 = time.perf_counter()
        text = fn(doc)
        seconds += time.perf_counter() - t0
        whole = key(text)
        out_paras = {key(p) for p in regex.split(r"\n+", text)}
        for p in paras:
            total += 1
            found += key(p) in whole
            exact += key(p) in out_paras
        if layout != "bare":
            article = key(" ".join(paras))
            for s in snippets(lang):
                if key(s) in article:  # "World" is in many an article: no evidence either way
                    continue
                snips += 1
                leaked += key(s) in whole
    return {"recall": found / total, "exact": exact / total, "leak": leaked / snips if snips else 0.0,
            "ms": 1000 * seconds / len(docs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=SHARED)
    ap.add_argument("--docs", type=int, default=40, help="news-dev documents (both sides)")
    args = ap.parse_args()
    docs = load(args.data, args.docs)
    extractors = {"selectolax reader": ours}
    try:
        import trafilatura  # noqa: F401

        extractors.update({"trafilatura": trafilatura_default, "trafilatura recall": trafilatura_recall})
    except ImportError:
        print("trafilatura not installed: pip install -e '.[bench]'")
    print(f"{len(docs)} pages per layout (news-dev: {args.docs} documents, both sides)")
    print(f"{'extractor':<20} {'layout':<10} {'recall':>7} {'exact':>7} {'leak':>7} {'ms/page':>8}")
    for name, fn in extractors.items():
        for layout in ("html5", "divs", "unlabelled", "bare"):
            m = measure(fn, docs, layout)
            print(f"{name:<20} {layout:<10} {m['recall']:7.3f} {m['exact']:7.3f} {m['leak']:7.3f} {m['ms']:8.1f}")


if __name__ == "__main__":
    main()
