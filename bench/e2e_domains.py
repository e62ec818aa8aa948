"""End-to-end quality on document pairs in styles we have no dev data for.

E-commerce listings, social posts, chat transcripts and Latin-rich tech/web text are
built here, deterministically (``--seed``), from sentence pairs whose alignment is
known, so the gold is carried along:

- the gold 1-1 units of news-dev (``split/`` and ``gold/``, read at run time): the
  headlines, and the single-sentence units (one final mark on each side, no
  quotation), used as they are or dressed the way each style dresses its lines
  (a speaker label, a star rating, a hashtag, an @mention, an emoji or a link
  added to BOTH sides; half-width ``, . ? !`` in the Chinese; a final mark dropped
  from a short line on both sides);
- small hand-written pairs (below): product titles, prices, spec lines, feature
  bullets, description sentences and Q&A, chat lines, and sentences holding
  organisations, URLs, e-mail addresses, product names and versions, code, formulas,
  times, rooms and prices inside Chinese.

Each unit is one gold bead. A document is paragraphs (blank lines between them) of
lines; a line holds one unit (a headline, an utterance, a list item) or several
run together (a post, a description). Part of each style's documents are a headline
paragraph and running text (a listing's description, a thread, a transcript run on);
a third of the tech documents are hard-wrapped (56-80 columns a Chinese line, a Chinese
character taking two; 64-80 an English one), as e-mails and newsletters saved as text are. The whole document path runs
(``aligners.pipeline.process_document``), every output segment is located in the
gold units by its letters and digits (bench/e2e_macdev.py's ``Locator``), and the
figures are, per style and pooled:

- strict P/R/F1 of the output pairs against the gold beads;
- Latin cut out: segments of the Chinese file with Latin letters and no Han taken
  out of a unit whose Chinese has Han (a name, URL or code split off its sentence);
- Chinese sides not whole: paired Chinese sides that are not whole units (a piece
  of a unit, or parts of two);
- tech units whole 1-1: hand-written Latin-inside-Chinese units whose Chinese came
  out as one segment paired alone with their English, alone.

    python bench/e2e_domains.py [--data ../shared/data/news-dev] [--docs 30] [--seed 7] [--show N]

(``--show N`` prints up to N wrong beads per style with their text.)
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import textwrap
import time
from dataclasses import dataclass

import regex

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from aligners.align.beads import read_beads  # noqa: E402
from aligners.align.evaluate import score_alignments  # noqa: E402
from aligners.config import Config  # noqa: E402
from aligners.pipeline import decoded, process_document  # noqa: E402
from aligners.text.split import display_width  # noqa: E402
from aligners.types import Bead, Document  # noqa: E402
from e2e_macdev import Locator, beads_from_result, key, read_lines  # noqa: E402

DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "news-dev")
STYLES = ("ecommerce", "social", "chat", "tech")
_HAN = regex.compile(r"\p{Han}")
_LATIN = regex.compile(r"\p{Latin}")


@dataclass(frozen=True)
class Unit:
    zh: str
    en: str
    tech: bool = False  # a hand-written Latin-inside-Chinese sentence


# A document: paragraphs of lines of units.
Layout = list[list[list[Unit]]]


# ---------------------------------------------------------------- trusted pairs

def news_units(data: str) -> tuple[list[Unit], list[Unit]]:
    """(headlines, single-sentence units) of news-dev's gold 1-1 beads."""
    heads, sents = [], []
    for f in sorted(os.listdir(os.path.join(data, "gold"))):
        if not f.endswith(".align"):
            continue
        name = f[: -len(".align")]
        zh = read_lines(os.path.join(data, "split", f"{name}.zh"))
        en = read_lines(os.path.join(data, "split", f"{name}.en"))
        for b in read_beads(os.path.join(data, "gold", f)):
            if len(b.src) != 1 or len(b.tgt) != 1:
                continue
            u = Unit(zh[b.src[0]].strip(), en[b.tgt[0]].strip())
            if b.src[0] == 0:
                heads.append(u)
            elif _single_sentence(u):
                sents.append(u)
    return heads, sents


def _single_sentence(u: Unit) -> bool:
    return (regex.search(r"[。！？]$", u.zh) is not None and regex.search(r"[。！？]", u.zh[:-1]) is None
            and regex.search(r"[.!?][\"”’]?$", u.en) is not None and len(u.zh) <= 120
            and regex.search(r"[“”\"「」]", u.zh) is None)


# ---------------------------------------------------------------- hand-written pairs

BRANDS = ("Nordlys", "Kaiyo", "Vantro", "UGREEN", "Anker", "Baseus", "Lumio", "Keychron")
MODELS = ("XR-200", "Q30 Pro", "K8", "MX-550", "AF-3.5", "S12 Max", "V2", "T-100")
PRODUCT_TITLES = (
    ("{brand} {model} 无线蓝牙耳机 主动降噪 40 小时续航", "{brand} {model} Wireless Bluetooth Earbuds, Active Noise Cancelling, 40-Hour Battery"),
    ("{brand} 不锈钢保温杯 {cap} ml 大容量", "{brand} Stainless Steel Vacuum Flask, {cap} ml, Large Capacity"),
    ("{brand} {model} 机械键盘 RGB 背光 热插拔", "{brand} {model} Mechanical Keyboard, RGB Backlight, Hot-Swappable"),
    ("{brand} 纯棉短袖 T 恤 男女同款 宽松版型", "{brand} Cotton Short-Sleeve T-Shirt, Unisex, Relaxed Fit"),
    ("{brand} {model} 空气炸锅 5.5 L 家用多功能", "{brand} {model} Air Fryer, 5.5 L, Multi-Function"),
    ("【官方旗舰店】{brand} USB-C 快充数据线 2 米 PD 100W", "[Official Store] {brand} USB-C Fast Charging Cable, 2 m, PD 100W"),
)
PRICE_LINES = (
    ("¥{price} 包邮", "¥{price}, free shipping"),
    ("到手价 ¥{price}（原价 ¥{was}）", "Final price ¥{price} (was ¥{was})"),
    ("限时特惠：${price}", "Limited-time offer: ${price}"),
    ("价格：¥{price} / 件", "Price: ¥{price} per item"),
)
SPECS = (  # (zh key, en key, ((zh value, en value), ...))
    ("尺寸", "Size", (("30 x 20 cm", "30 x 20 cm"), ("12.5 × 8 × 3 mm", "12.5 × 8 × 3 mm"), ("XL（180/100A）", "XL (180/100A)"))),
    ("重量", "Weight", (("约 350 g", "approx. 350 g"), ("1.2 kg", "1.2 kg"), ("58 克", "58 g"))),
    ("颜色", "Colour", (("黑色", "Black"), ("深空灰", "Space Grey"), ("雾霾蓝", "Haze Blue"))),
    ("材质", "Material", (("304 不锈钢", "304 stainless steel"), ("100% 纯棉", "100% cotton"), ("ABS + PC", "ABS + PC"))),
    ("型号", "Model", (("{model}", "{model}"),)),
    ("电池容量", "Battery capacity", (("5000 mAh", "5000 mAh"), ("500mAh（充电仓）", "500mAh (charging case)"))),
    ("接口", "Ports", (("USB-C", "USB-C"), ("Type-C、3.5 mm 耳机孔", "Type-C, 3.5 mm headphone jack"))),
    ("额定功率", "Rated power", (("1500 W", "1500 W"), ("65W", "65W"))),
    ("保修", "Warranty", (("2 年", "2 years"), ("12 个月", "12 months"))),
    ("蓝牙版本", "Bluetooth", (("5.3", "5.3"), ("BT 5.0", "BT 5.0"))),
    ("适用系统", "Compatible with", (("iOS 16+ / Android 10+", "iOS 16+ / Android 10+"), ("Windows 10/11、macOS", "Windows 10/11, macOS"))),
    ("货号", "Item no.", (("SKU-{n}", "SKU-{n}"),)),
    ("产地", "Made in", (("中国深圳", "Shenzhen, China"),)),
)
FEATURES = (
    ("支持 USB-C 快充，充电 10 分钟可使用 2 小时", "USB-C fast charging: 10 minutes of charging gives 2 hours of use"),
    ("IPX5 级防水，运动出汗也不怕", "IPX5 water resistance, so sweat is no problem"),
    ("兼容 iOS 和 Android 设备，支持 Siri 与 Google Assistant", "Works with iOS and Android devices and supports Siri and Google Assistant"),
    ("7 天无理由退货，30 天只换不修", "7-day no-questions-asked returns, 30-day replacement"),
    ("官方授权，假一赔十", "Officially authorised, ten times your money back if not genuine"),
    ("下单后 48 小时内发货（节假日除外）", "Ships within 48 hours of your order (holidays excepted)"),
    ("机身仅重 58 g，轻巧便携", "Weighs only 58 g, light and portable"),
    ("可机洗，建议 30°C 以下冷水洗涤", "Machine washable; wash cold, below 30°C"),
    ("包装内含 1 条 Type-C 数据线和说明书", "The box includes 1 Type-C cable and a user manual"),
    ("采用 Hi-Res Audio 认证的 10 mm 动圈单元", "Hi-Res Audio certified 10 mm dynamic drivers"),
)
DESCRIPTION = (  # running text of a listing: specs and prices inside sentences
    ("这款耳机重约 58 g，支持蓝牙 5.3，续航可达 40 小时。", "The earbuds weigh about 58 g, support Bluetooth 5.3 and last up to 40 hours."),
    ("现在下单立减 ¥50，到手价仅 ¥{price}。", "Order now for ¥50 off: the final price is only ¥{price}."),
    ("尺寸为 30 x 20 x 12 cm，可放入 15.6 英寸笔记本电脑。", "It measures 30 x 20 x 12 cm and holds a 15.6-inch laptop."),
    ("采用 304 不锈钢内胆，保温 12 小时以上。", "Its 304 stainless steel liner keeps drinks hot for over 12 hours."),
    ("{model} 与 {model} Plus 的区别在于后者支持无线充电。", "The difference between the {model} and the {model} Plus is that the latter supports wireless charging."),
    ("支持 Wi-Fi 6 和 NFC，可通过 App 远程控制。", "It supports Wi-Fi 6 and NFC and can be controlled remotely through the app."),
    ("满 ¥299 包邮，偏远地区除外。", "Free shipping on orders over ¥299, except to remote areas."),
    ("本店商品均为正品，支持专柜验货。", "All our products are genuine and can be checked at official counters."),
    ("如需发票，请在下单时备注公司抬头和税号。", "If you need an invoice, note the company name and tax ID when you order."),
    ("额定电压 220 V，额定功率 1500 W。", "Rated voltage 220 V, rated power 1500 W."),
    ("注意：请勿在 -20°C 以下的环境中使用。", "Note: do not use it below -20°C."),
    ("{brand} 成立于 2011 年，总部位于深圳。", "{brand} was founded in 2011 and is based in Shenzhen."),
)
QUESTIONS = (  # (question, answer) pairs of a listing's Q&A
    (("问：可以开发票吗？", "Q: Can I get an invoice?"), ("答：可以，请联系客服。", "A: Yes, please contact customer service.")),
    (("问：支持 iPhone 15 吗？", "Q: Does it work with the iPhone 15?"),
     ("答：支持，兼容 iOS 16 及以上版本。", "A: Yes, it is compatible with iOS 16 and later.")),
    (("问：保修多久？", "Q: How long is the warranty?"), ("答：整机保修 2 年。", "A: 2 years on the whole unit.")),
    (("问：有没有 M 码", "Q: Do you have size M"), ("答：有的", "A: Yes, we do")),
    (("问：什么时候发货？", "Q: When will it ship?"), ("答：下单后 48 小时内发货。", "A: Within 48 hours of your order.")),
)
BULLETS = ("- ", "• ", "· ", "* ", "{i}. ", "{i}、", "")

CHAT_LABELS = (  # (zh first, zh second, en first, en second)
    ("A：", "B：", "A: ", "B: "),
    ("客服：", "用户：", "Agent: ", "Customer: "),
    ("User：", "Assistant：", "User: ", "Assistant: "),
    ("小李：", "王老师：", "Li: ", "Ms Wang: "),
    ("买家:", "卖家:", "Buyer: ", "Seller: "),
)
CHAT_LINES = (
    ("您好，请问有什么可以帮您？", "Hello, how can I help you?"),
    ("在吗？", "Are you there?"),
    ("好的，谢谢！", "OK, thanks!"),
    ("请稍等，我帮您查一下。", "One moment, let me check for you."),
    ("我的订单号是 {order}。", "My order number is {order}."),
    ("快递单号是 SF{n}，预计明天送达。", "The tracking number is SF{n}; it should arrive tomorrow."),
    ("能开发票吗？", "Can you issue an invoice?"),
    ("可以的，请把抬头和税号发给我", "Sure, please send me the company name and tax ID"),
    ("我收到的是 XL 码，但我买的是 M 码。", "I received size XL, but I ordered M."),
    ("明天下午 3 点在 Room 305 开会，别忘了。", "Don't forget the meeting at 3 p.m. tomorrow in Room 305."),
    ("链接发你了：https://example.com/s/{n}", "I've sent you the link: https://example.com/s/{n}"),
    ("哈哈哈", "Haha"),
    ("收到", "Got it"),
    ("你看新闻了吗？", "Have you seen the news?"),
    ("没问题，马上处理。", "No problem, I'll deal with it right away."),
)
CHAT_HEADERS = (("聊天记录 2024-05-{day}", "Chat log 2024-05-{day}"), ("客服对话（工单 #{n}）", "Support chat (ticket #{n})"))

HASHTAGS = (("#新闻#", "#news"), ("#突发#", "#BreakingNews"), ("#国际#", "#world"), ("#热点#", "#trending"))
MENTIONS = ("@BBCNews", "@Reuters", "@nytimes", "@CNN")
EMOJI = ("😂", "👍", "🔥", "🙏🏻", "😮", "❤️")
SOCIAL_SHORT = (
    ("笑死我了 😂😂", "LOL 😂😂"),
    ("同意 +1", "Agreed +1"),
    ("已下单 ✅", "Ordered ✅"),
    ("刚刚看到这个新闻，太震惊了！", "Just saw this news, so shocking!"),
    ("有人知道这是哪里吗？", "Does anyone know where this is?"),
    ("转发一下，希望更多人看到。", "Sharing so more people see this."),
)

ORGS = ("Apple Inc.", "Tesla Inc.", "Microsoft", "OpenAI", "Goldman Sachs", "IBM", "J.P. Morgan", "AT&T",
        "Acme Co., Ltd.", "Meta Platforms Inc.")
URLS = ("https://www.example.com/docs/install", "www.example.org", "https://github.com/acme/tool", "example.cn/faq?id=42",
        "https://t.co/x7Rk2LmQ")
EMAILS = ("support@example.com", "hr@acme.com.cn", "li.ming@mail.example.org")
PRODUCTS = ("iPhone 15 Pro", "Galaxy S24 Ultra", "ThinkPad X1 Carbon", "PlayStation 5", "Model Y", "Windows 11", "macOS Sonoma")
VERSIONS = ("v2.3.1", "3.11.4", "1.0.0-rc.2", "2024.1")
COMMANDS = ("pip install -U requests", "npm install --save lodash", "git clone https://github.com/acme/tool.git",
            "sudo apt-get update", "docker run -p 8080:80 nginx", "make && make install")
FORMULAS = ("E = mc^2", "F = ma", "a^2 + b^2 = c^2", "y = f(x)", "x > 0.5", "P(A|B) = 0.3")
TIMES = (("上午 9:30", "9:30 a.m."), ("14:00", "14:00"), ("9:30 a.m.", "9:30 a.m."), ("下午 3 点", "3 p.m."))
ROOMS = ("Room 305", "B-2107", "Rm. 12.04", "A座 1203 室|Building A, Room 1203", "Lab 4B")
FUNCS = ("get_items()", "os.path.join()", "np.array(x)", "df.groupby('id').sum()", "str.split()")
PRICES = ("$182.50", "¥199.00", "€49.90", "£12.50", "$29.99")
TECH = (
    ("请将简历发送至 {email}，邮件标题注明应聘职位。", "Please send your CV to {email}, with the position in the subject line."),
    ("详细说明见 {url}。", "See {url} for details."),
    ("会议将于 {time} 在 {room} 召开。", "The meeting will be held in {room} at {time_en}."),
    ("{org} 周二宣布将裁员 1200 人。", "{org} said on Tuesday it would cut 1,200 jobs."),
    ("运行 {cmd} 即可安装。", "Run {cmd} to install it."),
    ("{product} 售价 {price}，下月上市。", "{product} costs {price} and goes on sale next month."),
    ("新版本 {ver} 修复了 12 个已知问题。", "Version {ver} fixes 12 known issues."),
    ("根据公式 {formula} 可以算出结果。", "The result follows from the formula {formula}."),
    ("他的办公室在 {room}。", "His office is in {room}."),
    ("如有疑问，请致电 400-820-8820 或发邮件至 {email}。", "For questions, call 400-820-8820 or e-mail {email}."),
    ("请在浏览器中打开 {url} 并登录。", "Open {url} in your browser and log in."),
    ("{org} 的股价收于 {price}，上涨 2.3%。", "{org} shares closed at {price}, up 2.3%."),
    ("航班 CA981 于 {time} 从 B12 登机口起飞。", "Flight CA981 departs from gate B12 at {time_en}."),
    ("函数 {func} 返回一个列表。", "The function {func} returns a list."),
    ("我们用 PyTorch 2.1 训练了模型，准确率达到 93.5%。", "We trained the model with PyTorch 2.1 and reached an accuracy of 93.5%."),
    ("Wi-Fi 密码是 Acme@2024。", "The Wi-Fi password is Acme@2024."),
    ("报告由 John A. Smith 博士（MIT）撰写。", "The report was written by Dr. John A. Smith of MIT."),
    ("{product} 搭载 M3 Pro 芯片，内存 16 GB。", "{product} has an M3 Pro chip and 16 GB of memory."),
    ("请于 {time} 前到 {room} 领取。", "Please collect it from {room} before {time_en}."),
    ("本活动由 {org} 主办，详情请关注 @AcmeEvents。", "The event is hosted by {org}; follow @AcmeEvents for details."),
    ("课程代码为 CS 101，每周三 {time} 上课。", "The course code is CS 101; classes are on Wednesdays at {time_en}."),
    ("错误信息显示 Error 404: Not Found。", "The error message says Error 404: Not Found."),
    ("{product} 现已支持中文界面。", "{product} now supports a Chinese interface."),
    ("{org} 将在上海设立研发中心。", "{org} will set up an R&D centre in Shanghai."),
    ("他在 Stack Overflow 上回答了一个关于 Node.js 的问题。", "He answered a question about Node.js on Stack Overflow."),
    ("价格为 {price}（含 VAT）。", "The price is {price} (VAT included)."),
    ("配置文件位于 ~/.config/acme/settings.json。", "The configuration file is at ~/.config/acme/settings.json."),
    ("用户可以通过 {email} 或 {url} 提交反馈。", "Users can send feedback to {email} or through {url}."),
    ("该芯片的主频为 3.2 GHz，功耗低于 5 W。", "The chip runs at 3.2 GHz and draws less than 5 W."),
    ("U.S. Steel 的总部位于匹兹堡。", "U.S. Steel is headquartered in Pittsburgh."),
)


def fill(rng: random.Random, pair: tuple[str, str]) -> tuple[str, str]:
    """A hand-written pair with its slots filled, the same value on both sides."""
    time_zh, time_en = rng.choice(TIMES)
    room = rng.choice(ROOMS)
    room_zh, room_en = room.split("|") if "|" in room else (room, room)
    price, was = f"{rng.randrange(19, 999)}.{rng.choice(('00', '90', '99'))}", f"{rng.randrange(999, 1999)}.00"
    values = dict(brand=rng.choice(BRANDS), model=rng.choice(MODELS), cap=rng.choice((350, 500, 750)),
                  price=price, was=was, n=rng.randrange(10000, 99999), order=f"2024{rng.randrange(10**7, 10**8)}",
                  day=f"{rng.randrange(1, 29):02d}", email=rng.choice(EMAILS), url=rng.choice(URLS),
                  org=rng.choice(ORGS), cmd=rng.choice(COMMANDS), product=rng.choice(PRODUCTS),
                  ver=rng.choice(VERSIONS), formula=rng.choice(FORMULAS), func=rng.choice(FUNCS))
    values["price"] = rng.choice(PRICES) if "{org}" in pair[0] or "{product}" in pair[0] or "（含" in pair[0] else price
    zh = pair[0].format(time=time_zh, room=room_zh, **values)
    en = pair[1].format(time_en=time_en, room=room_en, **values)
    return zh, en


# ---------------------------------------------------------------- dressing

def half_width(zh: str) -> str:
    """Chinese typed with half-width marks: ``，`` -> ``, ``, final ``。！？`` -> ``.!?``."""
    return zh.replace("，", ", ").replace("？", "?").replace("！", "!").replace("。", ".").rstrip()


def without_final(text: str) -> str:
    return regex.sub(r"[。！？.!?]+$", "", text)


def with_final(rng: random.Random, zh: str, en: str) -> tuple[str, str]:
    """A feature bullet or chat line: sometimes given final marks (it is written without)."""
    if rng.random() < 0.4 and not regex.search(r"[。！？.!?]$", zh):
        return zh + "。", en + "."
    return zh, en


def ecommerce_doc(rng: random.Random, sents: list[Unit]) -> Layout:
    title = Unit(*fill(rng, rng.choice(PRODUCT_TITLES)))
    price = Unit(*fill(rng, rng.choice(PRICE_LINES)))
    bullet = rng.choice(BULLETS)
    half = rng.random() < 0.3  # "型号:XR-200"
    specs = []
    for i, (kz, ke, values) in enumerate(rng.sample(SPECS, rng.randrange(4, 8)), 1):
        vz, ve = fill(rng, rng.choice(values))
        mark = bullet.format(i=i)
        specs.append([Unit(f"{mark}{kz}{':' if half else '：'}{vz}", f"{mark if '、' not in mark else f'{i}. '}{ke}: {ve}")])
    features = []
    for zh, en in rng.sample(FEATURES, rng.randrange(2, 5)):
        zh, en = with_final(rng, zh, en)
        features.append([Unit(f"✔ {zh}" if bullet == "" else f"- {zh}", f"✔ {en}" if bullet == "" else f"- {en}")])
    description = [rng.sample(sents, rng.randrange(2, 4))]
    stars = [rng.choice(("★★★★★", "★★★★☆")) for _ in range(2)]
    reviews = [[Unit(f"{st} {u.zh}", f"{st} {u.en}")] for st, u in zip(stars, rng.sample(sents, 2))]
    heading = [[Unit("用户评价", "Customer reviews")]]
    qa = [[Unit(*q)] for pair in rng.sample(QUESTIONS, 2) for q in pair]
    if rng.random() < 0.4:  # a headline, then running text
        running = [Unit(*fill(rng, pair)) for pair in rng.sample(DESCRIPTION, rng.randrange(3, 6))]
        return [[[title]], [running[:2] + [price_sentence(rng)]], [running[2:] + description[0]], qa]
    return [[[title], [price]], specs, features, description, heading + reviews, qa]


def price_sentence(rng: random.Random) -> Unit:
    return Unit(*fill(rng, ("活动期间售价 ¥{price}（原价 ¥{was}），每人限购 2 件。",
                            "During the sale it costs ¥{price} (was ¥{was}), limit 2 per customer.")))


def social_post(rng: random.Random, sents: list[Unit], short: bool) -> list[Unit]:
    if short:
        return [Unit(*rng.choice(SOCIAL_SHORT))]
    units = rng.sample(sents, rng.randrange(1, 3))
    zh0, en0 = units[0].zh, units[0].en
    zhn, enn = units[-1].zh, units[-1].en
    r = rng.random()
    if r < 0.25:
        tag_zh, tag_en = rng.choice(HASHTAGS)
        zh0, en0 = f"{tag_zh}{zh0}", f"{tag_en} {en0}"
    elif r < 0.45:
        who = rng.choice(MENTIONS)
        zh0, en0 = f"{who} {zh0}", f"{who} {en0}"
    if len(units) == 1:
        zhn, enn = zh0, en0
    r = rng.random()
    if r < 0.25:
        e = rng.choice(EMOJI)
        zhn, enn = zhn + e, enn + " " + e
    elif r < 0.45:
        url = rng.choice(URLS)
        zhn, enn = f"{zhn} {url}", f"{enn} {url}"
    elif r < 0.6:
        tag_zh, tag_en = rng.choice(HASHTAGS)
        zhn, enn = f"{zhn}{tag_zh}", f"{enn} {tag_en}"
    if rng.random() < 0.3:
        zh0, zhn = half_width(zh0), half_width(zhn)
        if len(units) == 1:
            zh0 = zhn
    if len(units) == 1:
        return [Unit(zhn, enn)]
    return [Unit(zh0, en0), Unit(zhn, enn)]


def social_doc(rng: random.Random, heads: list[Unit], sents: list[Unit]) -> Layout:
    posts = [social_post(rng, sents, rng.random() < 0.3) for _ in range(rng.randrange(5, 10))]
    r = rng.random()
    if r < 0.35:
        return [[post] for post in posts]  # a blank line between posts
    if r < 0.7:
        return [[post for post in posts]]  # one post per line
    # a thread: a headline, then the posts as running text
    thread = [u for post in posts for u in post if regex.search(r"[。！？.!?]$", u.zh)]
    return [[[rng.choice(heads)]], [thread]]


def chat_doc(rng: random.Random, heads: list[Unit], sents: list[Unit]) -> Layout:
    z1, z2, e1, e2 = rng.choice(CHAT_LABELS)
    stamp = rng.random() < 0.4
    lines = []
    minute = rng.randrange(0, 40)
    for i in range(rng.randrange(8, 16)):
        zl, el = (z1, e1) if i % 2 == 0 else (z2, e2)
        if rng.random() < 0.5:
            zh, en = fill(rng, rng.choice(CHAT_LINES))
            if rng.random() < 0.3:
                zh, en = without_final(zh), without_final(en)
        else:
            u = rng.choice(sents)
            zh, en = u.zh, u.en
            if rng.random() < 0.2:
                zh = half_width(zh)
        prefix = f"[10:{minute + i:02d}] " if stamp else ""
        line = [Unit(f"{prefix}{zl}{zh}", f"{prefix}{el}{en}")]
        if rng.random() < 0.2 and regex.search(r"[。！？]$", zh):  # a second sentence in the same utterance
            line.append(rng.choice(sents))
        lines.append(line)
    r = rng.random()
    if r < 0.35:
        return [[[Unit(*fill(rng, rng.choice(CHAT_HEADERS)))]], lines]
    if r < 0.8:
        return [[line] for line in lines] if rng.random() < 0.5 else [lines]
    # an interview or a transcript as running text: a headline, then the utterances run on
    spoken = [u for line in lines for u in line if regex.search(r"[。！？.!?]$", u.zh)]
    return [[[rng.choice(heads)]], [spoken]]


def tech_doc(rng: random.Random, heads: list[Unit], sents: list[Unit]) -> Layout:
    paragraphs: Layout = [[[rng.choice(heads)]]]
    for _ in range(rng.randrange(2, 4)):
        units = [Unit(*fill(rng, rng.choice(TECH)), tech=True) for _ in range(rng.randrange(2, 4))]
        units += rng.sample(sents, rng.randrange(1, 3))
        rng.shuffle(units)
        paragraphs.append([units])
    return paragraphs


def build(style: str, rng: random.Random, heads: list[Unit], sents: list[Unit]) -> Layout:
    if style == "ecommerce":
        return ecommerce_doc(rng, sents)
    if style == "social":
        return social_doc(rng, heads, sents)
    if style == "chat":
        return chat_doc(rng, heads, sents)
    return tech_doc(rng, heads, sents)


def render(layout: Layout, lang: str, width: int = 0) -> str:
    """The text of one side; ``width``: the paragraphs after the headline hard-wrapped
    (as an e-mail or a newsletter saved as text is)."""
    join = "" if lang == "zh" else " "
    paragraphs = []
    for k, para in enumerate(layout):
        lines = [join.join(getattr(u, lang) for u in line) for line in para]
        if width and k > 0:
            lines = [w for line in lines for w in (wrap_zh(line, width) if lang == "zh" else wrap_en(line, width))]
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs) + "\n"


def wrap_en(line: str, width: int) -> list[str]:
    return textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [line]


_WORD_CHAR = regex.compile(r"[\p{Latin}\d.,:/@_~%&+=-]")
_NO_LINE_START = "，。、；：？！）」』”’》,.;:?!)"


def wrap_zh(line: str, width: int) -> list[str]:
    """Chinese filled to ``width`` columns a line (a Chinese character takes two), as an
    editor fills it: a Latin word or number moves whole to the next line, and a comma or
    closing mark stays at the end of the line before."""
    out, start = [], 0
    while display_width(line[start:]) > width:
        cut, columns = start, 0
        while columns + display_width(line[cut]) <= width:
            columns += display_width(line[cut])
            cut += 1
        back = cut
        while back > start + 1 and _WORD_CHAR.match(line[back - 1]) and _WORD_CHAR.match(line[back]):
            back -= 1
        cut = back if back > start + 1 else cut
        while cut < len(line) and line[cut] in _NO_LINE_START:
            cut += 1
        if line[start:cut].strip():
            out.append(line[start:cut].rstrip())
        start = cut
        while start < len(line) and line[start] == " ":
            start += 1
    out.append(line[start:])
    return [p for p in out if p]


def units_of(layout: Layout) -> list[Unit]:
    return [u for para in layout for line in para for u in line]


# ---------------------------------------------------------------- checks

def side_checks(result, units: list[Unit], examples: list[str] | None = None) -> dict[str, int]:
    """Latin cut out of Chinese units, Chinese sides not whole, tech units whole 1-1,
    and Chinese-file segments judged English (``examples`` receives the first two kinds)."""
    examples = [] if examples is None else examples
    loc = Locator([u.zh for u in units])
    ids: dict[int, tuple[int, ...]] = {}
    latin_cut = english_in_zh = 0
    for s in sorted(result.segments, key=lambda s: s.seg_id):
        if s.source != 0:
            continue
        ids[s.seg_id] = loc.locate(s.text)
        english_in_zh += s.lang == "en"
        if _LATIN.search(s.text) and not _HAN.search(s.text) and any(_HAN.search(units[i].zh) for i in ids[s.seg_id]):
            latin_cut += 1
            examples.append(f"    Latin cut out: {s.text!r} of {' | '.join(units[i].zh for i in ids[s.seg_id])!r}")
    by_id = {s.seg_id: s for s in result.segments}
    not_whole = whole_tech = 0
    for row in result.rows:
        if not row.zh_ids:
            continue
        covered = sorted({i for sid in row.zh_ids for i in ids.get(sid, ())})
        got = "".join(key(by_id[sid].text) for sid in row.zh_ids)
        if got != "".join(key(units[i].zh) for i in covered):
            not_whole += 1
            examples.append(f"    not whole: {' | '.join(by_id[sid].text for sid in row.zh_ids)!r}"
                            f" of {' | '.join(units[i].zh for i in covered)!r}")
        elif len(covered) == 1 and len(row.zh_ids) == 1 and units[covered[0]].tech:
            en = "".join(key(by_id[sid].text) for sid in row.en_ids)
            whole_tech += en == key(units[covered[0]].en)
    return {"latin_cut": latin_cut, "not_whole": not_whole, "whole_tech": whole_tech,
            "tech": sum(u.tech for u in units), "english_in_zh": english_in_zh}


def wrong_beads(gold: list[Bead], test: list[Bead], units: list[Unit]) -> list[str]:
    gold_set = {(b.src, b.tgt) for b in gold}
    out = []
    for b in test:
        if (b.src, b.tgt) not in gold_set:
            out.append(f"    {list(b.src)}:{list(b.tgt)} zh={' | '.join(units[i].zh for i in b.src)!r}"
                       f" en={' | '.join(units[i].en for i in b.tgt)!r}")
    return out


# ---------------------------------------------------------------- main

def run(data: str, n_docs: int, seed: int, show: int) -> None:
    heads, sents = news_units(data)
    config = Config()
    print(f"{len(heads)} headlines, {len(sents)} single-sentence units from news-dev; "
          f"{n_docs} documents per style, seed {seed}; config {config.signature()}")
    pooled_gold, pooled_test, pooled = [], [], {}
    t0 = time.perf_counter()
    for style in STYLES:
        rng = random.Random(f"{seed}-{style}")
        golds, tests, counts, shown = [], [], {}, []
        for k in range(n_docs):
            layout = build(style, rng, heads, sents)
            units = units_of(layout)
            wrap = random.Random(f"{seed}-{style}-{k}-wrap")  # its own draws: the documents stay as they are
            zh_width, en_width = (wrap.randrange(56, 81), wrap.randrange(64, 81)) if style == "tech" and wrap.random() < 1 / 3 else (0, 0)
            doc = Document(f"{style}-{k:03d}", "pair", (decoded(render(layout, "zh", zh_width)),
                                                        decoded(render(layout, "en", en_width))))
            result = process_document(doc, config)
            test, _ = beads_from_result(result, [u.zh for u in units], [u.en for u in units])
            gold = [Bead((i,), (i,)) for i in range(len(units))]
            golds.append(gold)
            tests.append(test)
            examples: list[str] = []
            for name, v in side_checks(result, units, examples).items():
                counts[name] = counts.get(name, 0) + v
            if len(shown) < show:
                shown += [f"  {doc.doc_id}:" + line[1:] for line in wrong_beads(gold, test, units) + examples][: show - len(shown)]
        s = score_alignments(golds, tests)["strict"]
        print(f"{style:<10} strict P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}"
              f" | units {sum(len(g) for g in golds)}" + _counts(counts))
        for line in shown:
            print(line)
        pooled_gold += golds
        pooled_test += tests
        for name, v in counts.items():
            pooled[name] = pooled.get(name, 0) + v
    s = score_alignments(pooled_gold, pooled_test)["strict"]
    print(f"{'pooled':<10} strict P {s['precision']:.4f} R {s['recall']:.4f} F1 {s['f1']:.4f}"
          f" | units {sum(len(g) for g in pooled_gold)}" + _counts(pooled) + f" | {time.perf_counter() - t0:.1f} s")


def _counts(c: dict[str, int]) -> str:
    tech = f" | tech units whole 1-1 {c['whole_tech']}/{c['tech']}" if c.get("tech") else ""
    return (f" | Latin cut out {c['latin_cut']} | Chinese sides not whole {c['not_whole']}"
            f" | .zh.txt segments judged English {c['english_in_zh']}{tech}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--docs", type=int, default=30, help="documents per style")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=0, help="wrong beads to print per style")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.data, "gold")):
        sys.exit(f"no news-dev data at {args.data}")
    run(args.data, args.docs, args.seed, args.show)


if __name__ == "__main__":
    main()
