"""Extractive answers from one passage: the item's value or selected option, a phone number,
a count, a yes/no, or the sentence that best matches the question. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..text import is_placeholder, squeeze, strip_html  # noqa: F401  (is_placeholder: re-exported)
from ..tokenize import tokens


@dataclass(frozen=True)
class FactType:
    name: str
    asked: re.Pattern  # in the question
    found: re.Pattern  # in a passage


FACTS = (
    FactType("email", re.compile(r"e-?mail|メール|mail address", re.I), re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")),
    FactType("fax", re.compile(r"\bfax\b|ファックス|ファクス|ＦＡＸ|FAX", re.I),
             re.compile(r"(?:FAX|ＦＡＸ|ファックス|ファクス)[^0-9０-９]{0,8}[0-9０-９][0-9０-９\-－‐()（） ]{7,}", re.I)),
    FactType("phone", re.compile(r"phone|telephone|\btel\b|電話", re.I),
             re.compile(r"(?<![0-9０-９])0[0-9０-９]{1,4}[-－‐(（][0-9０-９]{1,4}[-－‐)）][0-9０-９]{3,4}")),
    FactType("url", re.compile(r"website|\burl\b|web ?page|ホームページ|ＵＲＬ", re.I), re.compile(r"https?://\S+|www\.\S+")),
    FactType("date", re.compile(r"^\s*when\b|\bwhen (?:did|was|were|is)\b|what date|on what date|いつ(?!も)|何日|日付|何年何月", re.I),
             re.compile(r"(?:令和|平成|昭和)\s*(?:元|[0-9０-９]{1,2})\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日"
                        r"|(?:19|20)[0-9]{2}[/年][0-9]{1,2}[/月][0-9]{1,2}日?")),
)
# A quantity asked for, and the unit its answer must carry.
UNITS = ((re.compile(r"how (?:many|long)[^?]*years?|how long|何年|年数|期間|retention period|period", re.I), "年"),
         (re.compile(r"how many (?:people|persons|staff|employees|handlers)|何人|人数|どれくらいの人", re.I), "人"),
         (re.compile(r"何課|how many (?:divisions|sections)", re.I), "課"),
         (re.compile(r"何件|件数", re.I), "件"))
YESNO_EN = re.compile(r"^\s*(?:does|do|is|are|can|could|was|were|has|have|will|did)\b", re.I)
WH_JA = re.compile(r"何(?!も)|どこ(?!も)|いつ(?!も)|誰(?!も)|だれ|どう|どの|どんな|なぜ|どれ|いくつ|どちら(?!も)|どっち")
# "…ますか", "…のか", and the plain "…するの？" / "…てるの？" of spoken questions
YESNO_JA = re.compile(r"(?:ますか|ですか|でしょうか|のか|か|[るたいしてだ]の[？?])\s*[？?]?\s*$")
NEGATION = re.compile(r"ない|せず|ません|不可|禁止|行わない|しない|できない|不要")
COUNT = re.compile(r"how many|何(?:項目|件|人|課|個|つ|名|種類|回|年)|いくつ|件数|number of", re.I)
SENTENCE = re.compile(r"(?<=[。\n])")


DATE_FACT = next(f for f in FACTS if f.name == "date")


def find_contact(question: str) -> FactType | None:
    """The contact detail a question asks for (e-mail, fax, phone, URL), if any — not a date.

    >>> find_contact("What fax number?").name, find_contact("いつ公表された？") is None
    ('fax', True)
    >>> find_contact("Is the data received by e-mail?") is None, find_contact("メールで送っていますか") is None
    (True, True)
    """
    if MEANS.search(question):
        return None  # a way data is sent (by e-mail, 電話で), not a contact detail asked for
    return next((f for f in FACTS if f is not DATE_FACT and f.asked.search(question)), None)


MEANS = re.compile(r"\b(?:by|via|through|over)\s+(?:e-?mail|fax|telephone|phone)\b|(?:メール|ＦＡＸ|FAX|ファックス|ファクス|電話)(?:で|により|によって|を使って)", re.I)


def find_fact(question: str) -> FactType | None:
    """The kind of contact detail a question asks for, if any (email before fax before phone)."""
    for fact in FACTS:
        if fact.asked.search(question):
            return fact
    return None


def is_yes_no(question: str) -> bool:
    """A question answered by yes or no: its last clause starts with an auxiliary verb.

    >>> is_yes_no("Does Chiba use personal numbers for statistics?"), is_yes_no("千葉市の委託先は？")
    (True, False)
    >>> is_yes_no("大分市: when another 課 looks someone up (他課照会), can they see the full マイナンバー?")
    True
    >>> is_yes_no("どちらも保管し続けてるの？"), is_yes_no("どこに保管してるの？")
    (True, False)
    """
    last = re.split(r"[,:;]\s+|\.\s+", question.strip())[-1]
    if YESNO_EN.search(last):
        return True
    return bool(YESNO_JA.search(question)) and not WH_JA.search(question)


def polarity(text: str) -> str:
    """'いいえ (No)' when the supporting text negates, else 'はい (Yes)'."""
    return "いいえ (No)" if NEGATION.search(text) else "はい (Yes)"


def numbered_count(text: str) -> int | None:
    """How many entries a numbered list has: the largest N with most of 1..N present.

    >>> numbered_count("１．届出\\n２．申出\\n３．申請")
    3
    >>> numbered_count("第7条 第16条") is None
    True
    """
    numbers = {int(n) for n in re.findall(r"(?<![0-9])([0-9]{1,3})(?![0-9,万年月日条])", unicodedata.normalize("NFKC", text))}
    best = None
    for n in sorted(numbers):
        if n >= 2 and sum(1 for i in range(1, n + 1) if i in numbers) >= 0.8 * n:
            best = n
    return best


def best_sentence(text: str, question_tokens: set[str], limit: int = 240) -> str:
    """The sentence (or line) of `text` sharing the most content words with the question."""
    sentences = [s.strip() for s in SENTENCE.split(text) if s.strip()]
    if not sentences:
        return ""
    scored = [(len(set(tokens(s)) & question_tokens) / (1 + len(s) / 400), -i, s) for i, s in enumerate(sentences)]
    best = max(scored)[2]
    return best if len(best) <= limit else best[:limit] + "…"


def asked_unit(question: str) -> str | None:
    """The unit a quantity question wants: 年, 人, 課 or 件."""
    return next((unit for pattern, unit in UNITS if pattern.search(question)), None)


def find_quantity(text: str, unit: str) -> str | None:
    """A number with its unit ('150年間', '24課', '(62) 件'), as written.

    >>> find_quantity("住民票消除後150年間は最低限必要", "年"), find_quantity("24課(各局(区)で1課)に実施", "課")
    ('150年間', '24課')
    """
    m = re.search(rf"[(（]?\s*[0-9０-９][0-9０-９,，]*\s*[)）]?\s*{unit}(?:間|以上|未満)?", text)
    return m.group(0).strip() if m else None


def count_answer(question: str, text: str, topic: set[str] = frozenset()) -> str | None:
    """A count for 'how many / 何件' questions: a number with its counter in the text ('(22) 件' of the
    noun the question names, when several are given), or a numbered list's length when entries are asked for.

    >>> count_answer("移転は何件？", "提供を行っている (62) 件、移転を行っている (22) 件", {"移転"})
    '22件'
    >>> count_answer("意見は全部で何件？", "1. 縦覧 2. 意見募集") is None
    True
    """
    if not COUNT.search(question):
        return None
    unit = asked_unit(question)
    if unit and unit not in ("年", "件"):
        found = find_quantity(text, unit)
        if found:
            return found
    counts = list(re.finditer(r"[(（]?\s*([0-9０-９]+)\s*[)）]?\s*件", text))
    if counts:
        # each count is of the words written just before it, back to the previous count
        starts = [0, *(m.end() for m in counts[:-1])]
        named = [m for m, a in zip(counts, starts) if any(t in text[max(a, m.start() - 16):m.start()]
                                                          for t in topic if len(t) >= 2)]
        m = (named or counts)[0]
        return f"{unicodedata.normalize('NFKC', m.group(1))}件"
    if unit in ("件", "人", "課"):
        return None  # a list's length is not a number of cases, people or divisions
    n = numbered_count(text)
    return str(n) if n else None


def plain(chunk) -> str:
    """The item's value as the document says it (markup gone, entities decoded once)."""
    return strip_html(chunk.value or chunk.text)
