"""English tokens for lexical matching: lower-cased words, stop words removed, stemmed.

The stemmer is deliberately small (plural/verb suffixes plus a table of irregular
forms): what matters is that the English text and the English glosses of CC-CEDICT
are reduced the same way, so "said" meets 说's gloss "to say" and "slapped" meets
打's "to slap".
"""
from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?|\d+(?:[.,]\d+)*")

STOP_WORDS = frozenset(
    """a an the and or but nor so yet for of to in on at by with from into onto upon about as than then
    i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves one ones
    this that these those there here who whom whose which what when where why how
    is are was were be been being am do does did doing done have has had having
    will would shall should can could may might must ought
    not no yes if all any each every some such own same very too also just only even still
    s t d ll m re ve o up down out off over under again further once
    oneself something someone anything anyone nothing everything somebody anybody
    mr mrs ms etc e g eg ie i.e sb sth lit fig esp used classifier abbr variant
    """.split()
)

# Irregular inflections -> base form (common verbs and nouns of narrative text).
IRREGULAR = {
    "said": "say", "says": "say", "went": "go", "gone": "go", "goes": "go", "saw": "see", "seen": "see",
    "took": "take", "taken": "take", "came": "come", "made": "make", "knew": "know", "known": "know",
    "thought": "think", "told": "tell", "found": "find", "gave": "give", "given": "give", "got": "get",
    "gotten": "get", "left": "leave", "felt": "feel", "brought": "bring", "began": "begin", "begun": "begin",
    "kept": "keep", "held": "hold", "stood": "stand", "heard": "hear", "let": "let", "meant": "mean",
    "met": "meet", "ran": "run", "paid": "pay", "sat": "sit", "spoke": "speak", "spoken": "speak",
    "lay": "lie", "lain": "lie", "led": "lead", "grew": "grow", "grown": "grow", "lost": "lose",
    "fell": "fall", "fallen": "fall", "sent": "send", "built": "build", "understood": "understand",
    "drew": "draw", "drawn": "draw", "broke": "break", "broken": "break", "spent": "spend", "rose": "rise",
    "risen": "rise", "drove": "drive", "driven": "drive", "bought": "buy", "wore": "wear", "worn": "wear",
    "chose": "choose", "chosen": "choose", "sought": "seek", "threw": "throw", "thrown": "throw",
    "caught": "catch", "dealt": "deal", "won": "win", "forgot": "forget", "forgotten": "forget",
    "sold": "sell", "fought": "fight", "taught": "teach", "ate": "eat", "eaten": "eat", "drank": "drink",
    "drunk": "drink", "slept": "sleep", "woke": "wake", "woken": "wake", "wrote": "write",
    "written": "write", "hid": "hide", "hidden": "hide", "shot": "shoot", "bit": "bite", "bitten": "bite",
    "hung": "hang", "struck": "strike", "flew": "fly", "flown": "fly", "froze": "freeze", "sang": "sing",
    "sung": "sing", "swam": "swim", "stole": "steal", "stolen": "steal", "shook": "shake", "shaken": "shake",
    "tore": "tear", "torn": "tear", "rode": "ride", "ridden": "ride", "fed": "feed", "fled": "flee",
    "bore": "bear", "born": "bear", "borne": "bear", "laid": "lay", "wept": "weep", "swore": "swear",
    "sworn": "swear", "dug": "dig", "lit": "light", "hit": "hit", "cut": "cut", "put": "put", "shut": "shut",
    "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "people": "person", "lives": "life", "wives": "wife", "knives": "knife", "leaves": "leaf",
    "better": "good", "best": "good", "worse": "bad", "worst": "bad", "died": "die", "dying": "die",
    "lying": "lie", "tying": "tie",
}

_VOWEL = re.compile(r"[aeiouy]")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Reduce a lower-cased word to a crude stem (suffixes -s, -es, -ies, -ed, -ing, -ly, -er, -est, -ness)."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    w = word
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("ches", "shes", "xes", "zes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ingly", "edly", "ing", "ed"):
        if w.endswith(suffix) and _VOWEL.search(w[: -len(suffix)]) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            if len(w) >= 2 and w[-1] == w[-2] and w[-1] not in "lsz":  # stopped -> stop
                w = w[:-1]
            elif w.endswith(("at", "bl", "iz", "v", "c")):  # created -> create, loved -> love
                w = w + "e"
            break
    else:
        if w.endswith("ly") and len(w) > 5:
            w = w[:-2]
            if w.endswith("i"):
                w = w[:-1] + "y"
        elif w.endswith("ness") and len(w) > 6:
            w = w[:-4]
    if w.endswith("e") and len(w) > 4 and not w.endswith(("ee", "ie")):
        w = w[:-1]  # "love"/"loved" both -> "lov": symmetric with the -ed rule above
    if w.endswith("y") and len(w) > 3 and w[-2] not in "aeiou":
        w = w[:-1] + "i"
    return w


NUMBER_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000, "half": 0.5,
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_STARTS = frozenset(NUMBER_WORDS) - {"half"}  # the words that can start a number
_DIGIT = re.compile(r"\d")
_NUMBER_PARTS = re.compile(r"[A-Za-z]+|\d+(?:,\d{3})*(?:\.\d+)?")
_HYPHEN_NUMBER = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|seven|eight|nine)\b", re.I)


def numbers(text: str) -> list[str]:
    """Number anchors in English text, as "#<value>" tokens ("twenty-one" and "21" both give "#21")."""
    out: list[str] = []
    if "-" in text:
        for m in _HYPHEN_NUMBER.finditer(text):
            ones = 1 if m.group(2).lower() == "one" else NUMBER_WORDS[m.group(2).lower()]
            out.append(f"#{NUMBER_WORDS[m.group(1).lower()] + ones}")
        text = _HYPHEN_NUMBER.sub(" ", text)
    words = _NUMBER_PARTS.findall(text)
    if not _DIGIT.search(text) and _NUMBER_STARTS.isdisjoint(map(str.lower, words)):
        return out  # most sentences: no digit, no number word
    value = None
    for w in words + [""]:
        lw = w.lower()
        if lw and lw[0].isdigit():
            if value is not None:
                out.append(_num_token(value))
            value = None
            out.append(_num_token(float(lw.replace(",", ""))))
        elif lw in _SCALE and value is not None:
            value *= _SCALE[lw]
        elif lw in NUMBER_WORDS and lw != "half":
            if value is not None and value >= 20 and value % 10 == 0 and NUMBER_WORDS[lw] < 10:
                value += NUMBER_WORDS[lw]
            else:
                if value is not None:
                    out.append(_num_token(value))
                value = NUMBER_WORDS[lw]
        else:
            if value is not None:
                out.append(_num_token(value))
            value = None
    return out


def _num_token(value: float) -> str:
    return f"#{int(value)}" if float(value).is_integer() else f"#{value:g}"


@lru_cache(maxsize=200_000)
def _content_stem(lw: str) -> str:
    """The stem of a lower-cased word; "" for a number, a stop word or a number word."""
    if lw[0].isdigit() or lw in STOP_WORDS or lw in NUMBER_WORDS:
        return ""
    s = stem(lw)
    return s if s and s not in STOP_WORDS else ""


def content_tokens(text: str) -> list[str]:
    """Stemmed content words of an English sentence (numbers excluded: see ``numbers``)."""
    return [s for s in map(_content_stem, map(str.lower, WORD.findall(text))) if s]


def gloss_stems(gloss: str) -> list[str]:
    """Content stems of one dictionary gloss ("to slap (sb's face)" -> ["slap", "face"])."""
    gloss = re.sub(r"\b(?:CL|see|variant of|old variant of|surname)\b:?", " ", gloss)
    gloss = re.sub(r"\[[^\]]*\]", " ", gloss)  # pinyin of cross-references like 说[shuo1]
    gloss = re.sub(r"[\u3400-\u9fff|0-9]+", " ", gloss)
    return content_tokens(gloss)
