import codecs

import pytest

from aligners.config import DecodeConfig
from aligners.io.decode import decode_bytes

ZH = "今年春天雨水多，芽头长得特别好。村里的茶叶卖到了每斤三百元。"
ZH_TRAD = "今年春天雨水多，芽頭長得特別好。村裡的茶葉賣到了每斤三百元。"
EN = "Last year the village's tea sold for 300 yuan a jin.\n"


@pytest.mark.parametrize("data, encoding", [
    (ZH.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig"),
    (ZH.encode("gb18030"), "gb18030"),
    (ZH.encode("gbk"), "gb18030"),
    (ZH.encode("utf-16"), "utf-16"),  # with BOM
    (ZH_TRAD.encode("big5"), "big5"),
])
def test_chinese_in_each_encoding_decodes_to_the_same_text(data, encoding):
    dec = decode_bytes(data)
    assert dec.error == ""
    assert dec.encoding == encoding
    assert dec.text == (ZH_TRAD if encoding == "big5" else ZH)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_from_its_nul_bytes(codec):
    dec = decode_bytes(EN.encode(codec))
    assert (dec.error, dec.encoding, dec.text) == ("", codec, EN)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_chinese_utf16_without_bom_is_recognised_from_its_characters(codec):
    dec = decode_bytes(ZH.encode(codec))
    assert (dec.error, dec.encoding, dec.text) == ("", codec, ZH)


def test_english_in_gb18030_or_utf8_is_not_taken_for_utf16():
    dec = decode_bytes(("Plain English text, nothing else. " * 3).encode("gb18030"))
    assert dec.encoding == "utf-8"


def test_invalid_utf8_bytes_are_replaced_and_counted():
    data = ("A sentence long enough to be text. " * 5).encode() + b"\xff\xfe bad " + b"more text " * 10
    dec = decode_bytes(data)
    assert dec.error == ""
    assert dec.replaced == 2 and dec.text.count("\ufffd") == 2
    assert any("replaced" in n for n in dec.notes)


def test_crlf_and_lone_cr_become_lf():
    dec = decode_bytes(b"one\r\ntwo\rthree\n")
    assert dec.text == "one\ntwo\nthree\n"
    assert dec.notes


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"  \n\t \n", "only whitespace"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG)"),
    (b"abc\x00\x01\x02\x03def\x00\x00\x17", "binary file (contains NUL bytes)"),
])
def test_rejected_inputs_say_why(data, reason):
    dec = decode_bytes(data)
    assert dec.error == reason
    assert dec.text == ""


def test_random_bytes_are_not_taken_for_text():
    import random

    rng = random.Random(1)
    data = bytes(rng.randrange(256) for _ in range(5000))
    assert decode_bytes(data).error


def test_size_limit():
    dec = decode_bytes(b"x" * 100, config=DecodeConfig(max_bytes=10))
    assert dec.error.startswith("file too large")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decode_never_raises_and_either_gives_text_or_a_reason(data):
    dec = decode_bytes(data)
    assert (dec.error == "") == bool(dec.text)
    assert "\r" not in dec.text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=500).filter(lambda t: t.strip()))
def test_utf8_text_round_trips(text):
    # (NUL bytes make a file binary here: UTF-8 text holding NULs is indistinguishable from UTF-16)
    dec = decode_bytes(text.encode("utf-8"))
    if not dec.error:
        assert dec.text == text.replace("\r\n", "\n").replace("\r", "\n")
