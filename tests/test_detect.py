"""The language of a sentence by where it sits, and the not-English check."""
import pytest

from aligners.config import TextConfig
from aligners.pipeline import decoded, process_document
import regex

from aligners.text.detect import english_tail, is_english_sentence, looks_not_english, script_language, sentence_language
from aligners.types import DROPPED, Document

# (sentence, side, language). Sides: "zh"/"en" = the Chinese/English file of a pair.
LANGUAGE_CASES = [
    # one script
    ("今天天气很好。", "mixed", "zh"),
    ("A governance problem", "mixed", "en"),
    ("Москва — столица.", "mixed", "other"),
    ("2024 …", "mixed", ""),
    # Latin inside a Chinese sentence: Chinese wherever it sits
    ("约翰逊牧师（John Howard Johnson）领导下为黑人会众所接管。", "mixed", "zh"),
    ("在 New York 工作", "mixed", "zh"),
    ("他说：“I love you.”", "mixed", "zh"),
    ("COBE卫星发现了3K眼镜。", "en", "zh"),
    # Chinese inside an English sentence: English wherever it sits
    ("Chen Qingyang (陈清扬) said so.", "mixed", "en"),
    ("They call it “关系”.", "mixed", "en"),
    ("He said 陈清扬 came.", "mixed", "en"),
    ("The word for it is 关系.", "mixed", "en"),
    ("The word for it is 关系.", "zh", "zh"),
    # no final mark: letters outside brackets and quotes decide in a mixed file ...
    ("Steven Gerrard 的 Rangers", "mixed", "en"),
    ("《The Shawshank Redemption》影评", "mixed", "zh"),
    # ... and the file's language wins unless its letters are only a gloss
    ("Steven Gerrard 的 Rangers", "zh", "zh"),
    ("Dolly Menga 为 Livingston 进球", "zh", "zh"),
    ("The Welsh Parliament (威尔士议会)", "zh", "en"),
    ("重庆 Chongqing Municipality", "en", "en"),
    ("重庆（Chongqing）", "en", "zh"),
    ("iPhone 15 上市了，售价高于 Apple Inc.", "zh", "zh"),
]


@pytest.mark.parametrize("text, side, expected", LANGUAGE_CASES)
def test_sentence_language(text, side, expected):
    assert sentence_language(text, side=side) == expected


def test_sentence_language_of_a_slice():
    text = "前文。Chen Qingyang (陈清扬) said so.后文"
    start = text.index("Chen")
    assert sentence_language(text, start, text.index(".后") + 1) == "en"


# Latin text inside Chinese sentences, each with its English translation: in a document
# pair, the Chinese must come out as ONE segment, whole, and be paired 1-1 with it.
LATIN_INSIDE_CHINESE = [
    ("organisation", "世界卫生组织（World Health Organization, WHO）周二发布了新的疫苗接种指南。",
     "The World Health Organization (WHO) issued new vaccination guidelines on Tuesday."),
    ("newspaper", "据《纽约时报》（The New York Times）报道，双方的谈判已经破裂。",
     "The talks between the two sides have broken down, The New York Times reported."),
    ("url", "详情请访问 https://www.example.org/news/2024/index.html 查看完整报告。",
     "For details, see the full report at https://www.example.org/news/2024/index.html."),
    ("e-mail", "如有疑问，请发送电子邮件至 press.office@example.com 与我们联系。",
     "If you have questions, please contact us by e-mail at press.office@example.com."),
    ("libraries", "这个项目使用了 NumPy、pandas 和 scikit-learn 等开源库。",
     "The project uses open-source libraries such as NumPy, pandas and scikit-learn."),
    ("product", "苹果公司（Apple Inc.）发布了 iPhone 15 Pro Max，起售价为 1199 美元。",
     "Apple Inc. launched the iPhone 15 Pro Max at a starting price of 1,199 dollars."),
    ("film", "电影《The Shawshank Redemption》在网站上的评分最高。",
     "The film The Shawshank Redemption has the highest rating on the website."),
    ("university", "她毕业于麻省理工学院（Massachusetts Institute of Technology）计算机系。",
     "She graduated from the computer science department of the Massachusetts Institute of Technology."),
    ("shell", "运行 pip install --upgrade requests 即可升级到最新版本。",
     "Run pip install --upgrade requests to upgrade to the latest version."),
    ("politicians", "Joe Biden 和 Emmanuel Macron 周三在巴黎举行了会谈。",
     "Joe Biden and Emmanuel Macron held talks in Paris on Wednesday."),
    ("slogan", "抗议者高喊“Make America Great Again”的口号走上街头。",
     "The protesters took to the streets chanting the slogan \"Make America Great Again\"."),
    ("paper", "论文《Attention Is All You Need》提出了 Transformer 模型。",
     "The paper \"Attention Is All You Need\" proposed the Transformer model."),
    ("formula", "根据公式 E = mc^2，质量可以转化为能量。",
     "According to the formula E = mc^2, mass can be converted into energy."),
    ("time-room", "会议定于上午 10:30 a.m. 在 Room B-204 举行。",
     "The meeting is scheduled for 10:30 a.m. in Room B-204."),
    ("version", "新版本 Python 3.11 比 3.10 快了许多。",
     "The new version, Python 3.11, is much faster than 3.10."),
    ("pastor", "圣马丁教堂在约翰·霍华德·约翰逊牧师（John Howard Johnson）领导下为黑人会众所接管。",
     "St. Martin's was taken over by a black congregation under the Rev. John Howard Johnson."),
    ("firm-first", "Meta Platforms Inc. 将在上海设立研发中心。",
     "Meta Platforms Inc. will set up an R&D centre in Shanghai."),
    ("room-abbreviation", "他的办公室在 Rm. 12.04。", "His office is in Rm. 12.04."),
    ("path", "配置文件位于 ~/.config/acme/settings.json。", "The configuration file is at ~/.config/acme/settings.json."),
    ("units", "该芯片的主频为 3.2 GHz，功耗低于 5 W。", "The chip runs at 3.2 GHz and draws less than 5 W."),
    ("brand-first", "iPhone 15 Pro 售价 $999.00，下月上市。", "iPhone 15 Pro costs $999.00 and goes on sale next month."),
    ("error", "错误信息显示 Error 404: Not Found。", "The error message says Error 404: Not Found."),
    ("dotted-firm", "U.S. Steel 的总部位于匹兹堡。", "U.S. Steel is headquartered in Pittsburgh."),
    ("code", "函数 df.groupby('id').sum() 返回一个表。", "The function df.groupby('id').sum() returns a table."),
    ("weekday", "课程在 Rm. 101 上课，时间为 Mon./Wed. 10:00–11:30。", "Classes are in Rm. 101 on Mon./Wed., 10:00–11:30."),
    ("extension", "请拨打 +86 10 6552 9988 ext. 123。", "Please call +86 10 6552 9988 ext. 123."),
    ("sql", "他用 SELECT * FROM users WHERE id = 1; 查询了数据。", "He queried the data with SELECT * FROM users WHERE id = 1;."),
]
BEFORE = ("今天的新闻不多。", "There is not much news today.")
AFTER = ("我们明天再谈这件事。", "We will talk about this again tomorrow.")


@pytest.mark.parametrize("case, zh, en", LATIN_INSIDE_CHINESE, ids=[c[0] for c in LATIN_INSIDE_CHINESE])
def test_latin_inside_chinese_stays_whole_and_pairs_one_to_one(case, zh, en):
    doc = Document(case, "pair", (decoded(BEFORE[0] + zh + AFTER[0], "a.zh.txt"),
                                  decoded(BEFORE[1] + " " + en + " " + AFTER[1], "a.en.txt")))
    result = process_document(doc)
    zh_segments = [s for s in result.segments if s.source == 0 and s.status != DROPPED]
    assert [s.raw for s in zh_segments] == [BEFORE[0], zh, AFTER[0]]
    assert all(s.lang == "zh" for s in zh_segments)
    target = zh_segments[1]
    rows = [r for r in result.rows if target.seg_id in r.zh_ids]
    assert len(rows) == 1 and rows[0].zh_ids == (target.seg_id,)
    assert len(rows[0].en_ids) == 1
    assert result.segments[rows[0].en_ids[0]].raw == en
    # Chinese normalisation leaves the Latin inside alone: same letters, digits and symbols
    latin = regex.compile(r"[\p{Latin}\d@/.:=^+_-]+")
    assert latin.findall(target.text) == latin.findall(zh)


@pytest.mark.parametrize(
    "text, tail",
    [
        ("陈清扬说，这件事是真的：After that I was angry and upset.", "After that I was angry and upset."),
        ("他大为得意。'How much did you win?'", "'How much did you win?'"),
        ("他在 Massachusetts Institute of Technology.", None),  # no mark before the Latin
        ("他说：OK, fine.", None),  # too short
        ("他们高喊：“Make America Great Again.”", None),  # quoted
    ],
)
def test_english_tail_in_a_mixed_file(text, tail):
    pos = english_tail(text, 0, len(text))
    assert (text[pos:] if pos is not None else None) == tail


def test_fullwidth_brackets_around_english_stay_in_chinese():
    text = next(zh for case, zh, _ in LATIN_INSIDE_CHINESE if case == "pastor")
    doc = Document("b", "pair", (decoded(text, "a.zh.txt"), decoded("Only English here.", "a.en.txt")))
    (seg,) = [s for s in process_document(doc).segments if s.source == 0]
    assert seg.lang == "zh" and "（John Howard Johnson）" in seg.text


def test_english_sentence_in_a_chinese_file_comes_out_whole():
    zh = "他接着说了一句英语。We will never give up. 大家都鼓掌了。"
    doc = Document("c", "pair", (decoded(zh, "a.zh.txt"), decoded("He said.", "a.en.txt")))
    segs = [(s.raw, s.lang) for s in process_document(doc).segments if s.source == 0]
    assert segs == [("他接着说了一句英语。", "zh"), ("We will never give up.", "en"), ("大家都鼓掌了。", "zh")]


def test_script_language():
    assert script_language("重庆是西部的一个缩影 Chongqing") == "zh"
    assert script_language("The Chongqing station 站") == "en"
    assert script_language("2024 …") == ""


@pytest.mark.parametrize("checker", ["pycld2", "langdetect"])
def test_not_english_check(checker):
    cfg = TextConfig(language_checker=checker)
    assert looks_not_english("Die Entwicklung der westlichen Region ist ein Jahrhundertprojekt.", cfg) == "de"
    assert looks_not_english("The development of the western region is a century project.", cfg) is None
    assert looks_not_english("Die Region ist", cfg) is None  # too short to check


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We will never give up.", True),
        ("\"Is it far?\" she asked.", True),
        ("OK.", False),  # too short
        ("Apple Inc.", False),
        ("https://t.co/x7Rk2LmQ", False),
        ("we will never give up.", False),  # no capital first
        ("We will never give up", False),  # no final mark
        ("We will 永不 give up.", False),
    ],
)
def test_is_english_sentence(text, expected):
    assert is_english_sentence(text) is expected
