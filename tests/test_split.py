"""Paragraph, line and sentence spans."""
import pytest
import regex

from aligners.text.split import split_lines, split_paragraphs, split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def paragraphs(text: str) -> list[str]:
    return [text[s:e] for s, e in split_paragraphs(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("格局决定思路。重庆是缩影！真的吗？", ["格局决定思路。", "重庆是缩影！", "真的吗？"]),
        ("“这条通道有哪些成本优势？”“沿途还有什么障碍？”现场，总书记问得细致。",
         ["“这条通道有哪些成本优势？”", "“沿途还有什么障碍？”", "现场，总书记问得细致。"]),
        ("他走了……第二天又来了。", ["他走了……", "第二天又来了。"]),
        ("“我…… 我记不起了。”他说。", ["“我…… 我记不起了。”", "他说。"]),
        ("优势?效益如何?好。", ["优势?", "效益如何?", "好。"]),
        ("那男孩道：“呸，你不会摔交。 ”韦小宝道：“谁说不会？”",
         ["那男孩道：“呸，你不会摔交。 ”", "韦小宝道：“谁说不会？”"]),
        ("增长了3.5%。共18,000公里。", ["增长了3.5%。", "共18,000公里。"]),
        # an interrupted utterance (dash + closing quote) ends the sentence
        ("她问：“你到底想——”话没说完，门开了。", ["她问：“你到底想——”", "话没说完，门开了。"]),
        ("“砰——砰——”“快开门——”门外有人喊。", ["“砰——砰——”", "“快开门——”", "门外有人喊。"]),
        ("“你——”，他顿了顿。", ["“你——”，他顿了顿。"]),
        # a pause after a comma, and a stammer, stay inside the sentence
        ("他说：“君子一言，…… 驷马难追。”", ["他说：“君子一言，…… 驷马难追。”"]),
        ("“我……我忘了带钥匙。”", ["“我……我忘了带钥匙。”"]),
        # a section number opening a sentence is no full stop
        ("第一部分到此为止。3.新的开始", ["第一部分到此为止。", "3.新的开始"]),
        # two quotations in a row: the first one ends even on a comma; a list of terms goes on
        ("她说：“我们生气就会哭，”“我认为这很正常。”", ["她说：“我们生气就会哭，”", "“我认为这很正常。”"]),
        ("他们称之为“文化宝藏”，“无可替代”。", ["他们称之为“文化宝藏”，“无可替代”。"]),
        # a quotation opened after a colon ends its sentence when Chinese follows it at once;
        # a quoted term, a quotation without the colon, or a particle after it does not
        ("她回答：“我们下周还会再开一次会”随后她离开了。", ["她回答：“我们下周还会再开一次会”", "随后她离开了。"]),
        ("他写道: “这是我们这个时代的印记”他的朋友不同意。", ["他写道: “这是我们这个时代的印记”", "他的朋友不同意。"]),
        ("专家称之为：“国宝”和“古董”。", ["专家称之为：“国宝”和“古董”。"]),
        ("“我们下周还会再开一次会”她说。", ["“我们下周还会再开一次会”她说。"]),
        ("他说：“我们下周还会再开一次会”的消息传开了。", ["他说：“我们下周还会再开一次会”的消息传开了。"]),
    ],
)
def test_chinese(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("J. K. Rowling wrote it. It sold.", ["J. K. Rowling wrote it.", "It sold."]),
        ("He moved to the U.S. in 1990. Then he left.", ["He moved to the U.S. in 1990.", "Then he left."]),
        ("He lives in the U.S. He likes it.", ["He lives in the U.S.", "He likes it."]),
        ("Use e.g. apples. Or pears.", ["Use e.g. apples.", "Or pears."]),
        ("Exports reached 8.82 billion yuan. Good.", ["Exports reached 8.82 billion yuan.", "Good."]),
        ('"Go!" she said. "Now?" He nodded.', ['"Go!" she said.', '"Now?"', "He nodded."]),
        ('in the modernization drive! " Then', ['in the modernization drive! "', "Then"]),
        ('a happier life. " General Secretary said, "One thing."', ['a happier life. "', 'General Secretary said, "One thing."']),
        ("I thought... Maybe not. Wait… what?", ["I thought...", "Maybe not.", "Wait… what?"]),
        ("It was I. Then came .NET and 10:30.", ["It was I.", "Then came .NET and 10:30."]),
        ("Drive on!\"以开放促开发。", ['Drive on!"', "以开放促开发。"]),
        ("'But I—' 'You what?' he snapped.", ["'But I—'", "'You what?' he snapped."]),
        ('"Wait—" he said. "Stop—" She ran.', ['"Wait—" he said.', '"Stop—"', "She ran."]),
        ("'Well, I... I can't remember.'", ["'Well, I... I can't remember.'"]),
        ("It was cold... Cold and dark.", ["It was cold...", "Cold and dark."]),
        ('"Is it far?" "No. Since you ask, it is near."', ['"Is it far?"', '"No.', 'Since you ask, it is near."']),
        ("See No. 5 on the list. It is red.", ["See No. 5 on the list.", "It is red."]),
        ("In 1990. Then 2000.", ["In 1990.", "Then 2000."]),
        ("Aged 60. There are 12. 3 left.", ["Aged 60.", "There are 12.", "3 left."]),
    ],
)
def test_english(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Latin inside a Chinese sentence: its marks end nothing
        ("苹果公司（Apple Inc.）发布了新手机。他很高兴。", ["苹果公司（Apple Inc.）发布了新手机。", "他很高兴。"]),
        ("他说“I love you.”然后走了。", ["他说“I love you.”然后走了。"]),
        ("会议定于 10:30 a.m. 在 Room B-204 举行。下一句。", ["会议定于 10:30 a.m. 在 Room B-204 举行。", "下一句。"]),
        # ... but an English sentence before Chinese ends at its mark
        ("He left.“对”", ["He left.", "“对”"]),
        ("他买了新的iPhone.苹果很高兴.", ["他买了新的iPhone.", "苹果很高兴."]),  # width-folded full stops
        # Chinese inside an English sentence
        ("He said “我爱你。” and left. Then.", ["He said “我爱你。” and left.", "Then."]),
        # a full stop after a closing quote belongs to the same sentence end
        ("抗议者高呼“11月来了！”。此前一天。", ["抗议者高呼“11月来了！”。", "此前一天。"]),
    ],
)
def test_between_scripts(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Run pip install requests==2.31 now. Python 3.11 is out.", ["Run pip install requests==2.31 now.", "Python 3.11 is out."]),
        ("Mail a.b@example.com today. See https://x.org/a.b?c=d. It works.",
         ["Mail a.b@example.com today.", "See https://x.org/a.b?c=d.", "It works."]),
        ("It opens at 10:30 a.m. on Monday. It closes at 5 p.m. Then it rains.",
         ["It opens at 10:30 a.m. on Monday.", "It closes at 5 p.m.", "Then it rains."]),
        ("Troops fired on Oct. 2, 1968, killing many. It ended.", ["Troops fired on Oct. 2, 1968, killing many.", "It ended."]),
        ("He works at Apple Inc. The firm grew.", ["He works at Apple Inc.", "The firm grew."]),
        ("It stays shut until Oct. President Widodo came.", ["It stays shut until Oct.", "President Widodo came."]),
        ("They got a grade A. The data show it.", ["They got a grade A.", "The data show it."]),
        ("Det. Dennis McCarthy and Sens. John Kennedy spoke in Grace v. Sessions. Yes.",
         ["Det. Dennis McCarthy and Sens. John Kennedy spoke in Grace v. Sessions.", "Yes."]),
        ("Wait... what? \"No.\" She left.", ["Wait... what?", '"No."', "She left."]),
        # a quotation that closes after an abbreviation's full stop ends with it
        ('"It might happen at one o\'clock A.M." "Wow, so precise!"', ['"It might happen at one o\'clock A.M."', '"Wow, so precise!"']),
        ("He said 'I work for Apple Inc.' Then he left.", ["He said 'I work for Apple Inc.'", "Then he left."]),
        ('"Call me Dr." and he laughed.', ['"Call me Dr." and he laughed.']),
        # a sentence may start in lower case after a plain word's full stop, not after an abbreviation
        ("He took the chart out of his pocket. short-long-long, short-long.",
         ["He took the chart out of his pocket.", "short-long-long, short-long."]),
        ("Smith et al. found it, as did Jones vs. the rest, incl. me and approx. ten others etc. and so on.",
         ["Smith et al. found it, as did Jones vs. the rest, incl. me and approx. ten others etc. and so on."]),
        ("Use e.g. apples, see p. 4 or fig. two.", ["Use e.g. apples, see p. 4 or fig. two."]),
    ],
)
def test_web_and_news_text(text, expected):
    assert sentences(text) == expected


def test_chinese_headline_ends_at_the_line_break_wrapped_lines_do_not():
    text = "利文斯顿队一比零击败流浪者\n周六的比赛中，利文斯顿队凭借门加的进球击败了流浪者队，取得了主场胜利。"
    assert [text[s:e] for s, e in split_lines(text, 0, len(text))] == text.split("\n")
    wrapped = "周六的比赛中，利文斯顿队凭借门加\n的进球击败了流浪者队，取得了胜利。"
    assert split_lines(wrapped, 0, len(wrapped)) == [(0, len(wrapped))]


def test_headline_and_dateline_end_at_the_line_break():
    text = "Storm hits coast\nLONDON, Oct 1 (Reuters)\nThe storm arrived at dawn. It left."
    pieces = [text[s:e] for ls, le in split_lines(text, 0, len(text)) for s, e in split_sentences(text, ls, le)]
    assert pieces == ["Storm hits coast", "LONDON, Oct 1 (Reuters)", "The storm arrived at dawn.", "It left."]


def test_paragraphs_blank_lines_and_lines():
    assert paragraphs("  One.\n\n  Two.\n  Three.\n\n\n") == ["One.", "Two.\n  Three."]
    assert paragraphs("One.\nTwo.\n第三。") == ["One.", "Two.", "第三。"]
    assert paragraphs("a single long line with no break at all") == ["a single long line with no break at all"]
    assert paragraphs(" \n\t\n") == []


def test_lines_inside_a_paragraph():
    text = "A governance problem\nCars are walking through the streets, and there are rows of\ntall buildings."
    assert [text[s:e] for s, e in split_lines(text, 0, len(text))] == [
        "A governance problem",
        "Cars are walking through the streets, and there are rows of\ntall buildings.",
    ]
    zh = "大屏幕上的地图，以重庆为坐标\n点，绘就了大动脉。"
    assert [zh[s:e] for s, e in split_lines(zh, 0, len(zh))] == [zh]


def test_over_long_sentence_is_cut_at_spaces():
    text = "word " * 1000
    spans = split_sentences(text, max_chars=300)
    assert all(e - s <= 300 for s, e in spans)
    assert all(text[s - 1] == " " for s, _ in spans[1:])
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_spans_cover_every_non_space_character():
    text = "  Mr. A. said: “Go.” 然后。。\n走了……  B?  "
    spans = split_sentences(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    assert all(s < e for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize(
    "text, expected",
    [
        # a product title, a price line, spec lines: no clause mark, each ends at its line break
        ("Nordlys 纯棉短袖 T 恤 男女同款 宽松版型\n到手价 ¥774.90（原价 ¥1297.00）",
         ["Nordlys 纯棉短袖 T 恤 男女同款 宽松版型", "到手价 ¥774.90（原价 ¥1297.00）"]),
        ("Nordlys Cotton Short-Sleeve T-Shirt, Unisex, Relaxed Fit\n¥912.99, free shipping",
         ["Nordlys Cotton Short-Sleeve T-Shirt, Unisex, Relaxed Fit", "¥912.99, free shipping"]),
        ("重量：58 克\n货号：SKU-44473", ["重量：58 克", "货号：SKU-44473"]),
        # list items
        ("- IPX5 water resistance, so sweat is no problem at all\n- Hi-Res Audio certified drivers",
         ["- IPX5 water resistance, so sweat is no problem at all", "- Hi-Res Audio certified drivers"]),
        ("1、支持 USB-C 快充，充电 10 分钟可使用 2 小时\n2、官方授权，假一赔十",
         ["1、支持 USB-C 快充，充电 10 分钟可使用 2 小时", "2、官方授权，假一赔十"]),
        ("★★★★★ 质量很好，物流也快，包装完整，推荐购买\n★★★★☆ 还行",
         ["★★★★★ 质量很好，物流也快，包装完整，推荐购买", "★★★★☆ 还行"]),
        # utterances of a transcript
        ("客服：哈哈哈\n用户：没问题，马上处理。", ["客服：哈哈哈", "用户：没问题，马上处理。"]),
        ("[10:44] Customer: No problem, I'll deal with it right away\n[10:45] Agent: Can you?",
         ["[10:44] Customer: No problem, I'll deal with it right away", "[10:45] Agent: Can you?"]),
        ("Ms Wang: Sure, please send me the company name and tax ID\nLi: Thanks",
         ["Ms Wang: Sure, please send me the company name and tax ID", "Li: Thanks"]),
        # wrapped prose stays one piece, also when the next line starts with a capital or a
        # colon after a name that is not a speaker label
        ("He told reporters that the decision would be taken by the\nPrime Minister after the vote.",
         ["He told reporters that the decision would be taken by the\nPrime Minister after the vote."]),
        ("周六的比赛中，利文斯顿队凭借门加的进球击败了对手\n他说：“这是一场胜利，我们很高兴。”",
         ["周六的比赛中，利文斯顿队凭借门加的进球击败了对手\n他说：“这是一场胜利，我们很高兴。”"]),
    ],
)
def test_line_breaks_end_titles_items_and_utterances(text, expected):
    assert [text[s:e] for s, e in split_lines(text, 0, len(text))] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a list item's number is no sentence
        ("1. 额定功率：1500 W", ["1. 额定功率：1500 W"]),
        ("1. Weight: 58 g", ["1. Weight: 58 g"]),
        # abbreviations before a number
        ("他的办公室在 Rm. 12.04。下一句。", ["他的办公室在 Rm. 12.04。", "下一句。"]),
        ("His office is in Rm. 12.04. Please go.", ["His office is in Rm. 12.04.", "Please go."]),
        # a number, a file or a domain name before the full stop ends the sentence
        ("The formula is P(A|B) = 0.3. Rangers won.", ["The formula is P(A|B) = 0.3.", "Rangers won."]),
        ("It is at ~/.config/acme/settings.json. Germany won.", ["It is at ~/.config/acme/settings.json.", "Germany won."]),
        ("He answered a question about Node.js. Nobody else did.", ["He answered a question about Node.js.", "Nobody else did."]),
        # a single capital after a number or an article is a unit or a grade, not an initial
        ("It draws less than 5 W. Acme shares rose.", ["It draws less than 5 W.", "Acme shares rose."]),
        ("63 per cent achieved an A. UN diplomats say so.", ["63 per cent achieved an A.", "UN diplomats say so."]),
        ("Ask J. Smith. J. K. Rowling wrote it.", ["Ask J. Smith.", "J. K. Rowling wrote it."]),
        # a sentence may start with a lower-case brand (iPhone, macOS)
        ("It will be made in Shanghai. iPhone 15 Pro is here.", ["It will be made in Shanghai.", "iPhone 15 Pro is here."]),
        ("Thorbjorn Olesen of Denmark. macOS Sonoma has it.", ["Thorbjorn Olesen of Denmark.", "macOS Sonoma has it."]),
        # a width-folded full stop after Chinese, before Latin or a digit
        ("前往飞机的紧急出口.Nottingham East 的人不会疑惑.", ["前往飞机的紧急出口.", "Nottingham East 的人不会疑惑."]),
        ("这表明美国政府对此次会议的重视.1996年, 一场海啸袭击了东加拉.", ["这表明美国政府对此次会议的重视.", "1996年, 一场海啸袭击了东加拉."]),
        ("得到附加分.#国际#此外还有.", ["得到附加分.", "#国际#此外还有."]),
        ("他们不应该这样肆无忌惮.[10:35] 小李：好的。", ["他们不应该这样肆无忌惮.", "[10:35] 小李：好的。"]),
        ("只有 15% .#突发#杰克说.", ["只有 15% .", "#突发#杰克说."]),
        ("餐馆收入却下降4.8%.User：世界排名第一.", ["餐馆收入却下降4.8%.", "User：世界排名第一."]),
        ("新版本 v2.0.Beta 已发布。", ["新版本 v2.0.Beta 已发布。"]),
        # ... but not a domain or a dotted name
        ("请访问新浪.com 查看。", ["请访问新浪.com 查看。"]),
        ("使用 .NET 开发。", ["使用 .NET 开发。"]),
        # a post may start with a mention or a hashtag
        ("Does anyone know where this is? #news Sir William came.", ["Does anyone know where this is?", "#news Sir William came."]),
        ("It was over. @Reuters Furyk said so.", ["It was over.", "@Reuters Furyk said so."]),
        ("Note: do not use it below -20°C. During the sale.", ["Note: do not use it below -20°C.", "During the sale."]),
        # a weekday abbreviation before a time, capitalised ("He sat. 3 dogs" ends)
        ("Classes are on Mon./Wed. 10:00–11:30. Then.", ["Classes are on Mon./Wed. 10:00–11:30.", "Then."]),
        ("He sat. 3 dogs barked.", ["He sat.", "3 dogs barked."]),
    ],
)
def test_items_units_names_and_folded_stops(text, expected):
    assert sentences(text) == expected


def test_hard_wrapped_chinese_line_without_marks_still_wraps():
    wrapped = "周六的比赛中，利文斯顿队凭借门加的进球击败了流浪者队\n随后他们在主场球迷的欢呼声中绕场一周庆祝胜利\n然后回家了。"
    assert split_lines(wrapped, 0, len(wrapped)) == [(0, len(wrapped))]


def _fill(text: str, width: int) -> str:
    """``text`` hard-wrapped at ``width`` columns (a Chinese character takes two), Latin
    words and numbers kept whole, as an editor fills a paragraph."""
    lines, line = [], ""
    for token in regex.findall(r"[A-Za-z0-9.,:@$%&/-]+ ?|.", text):
        columns = sum(2 if regex.match(r"[\p{Han}，。、：；]", c) else 1 for c in line + token)
        if columns > width and line:
            lines.append(line.rstrip())
            line = ""
        line += token
    return "\n".join(lines + [line.rstrip()])


ZH_PROSE = ("他说，报告由 John A. Smith 博士撰写，计划于明年春天在北京发布，目前已经完成初稿。会议定于 14:00 开始，"
            "地点在 Rm. 12.04，请大家准时参加，并且带上笔记本电脑和充电器。AT&T 的股价收于 $182.50，上涨 2.3%。谢谢。")
EN_PROSE = ("The report was written by Dr. John A. Smith of the Massachusetts Inst. of Technology, who said on "
            "Tuesday that the meeting would start at 14:00 sharp. AT&T shares closed at $182.50, up 2.3%. Thanks.")


@pytest.mark.parametrize("text, width", [(ZH_PROSE, w) for w in (56, 64, 72, 80)] + [(EN_PROSE, w) for w in (60, 70, 80)])
def test_hard_wrapped_paragraph_is_one_piece(text, width):
    wrapped = _fill(text, width)
    assert "\n" in wrapped
    assert split_lines(wrapped, 0, len(wrapped)) == [(0, len(wrapped))]


def test_chinese_line_wrapped_before_a_number():
    text = "该公司宣布，从下个月起，AT&T 的股价将以美元计价，收于\n$182.50，上涨 2.3%。"
    assert split_lines(text, 0, len(text)) == [(0, len(text))]
