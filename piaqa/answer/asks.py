"""What a question asks for, decided once: the expected answer type.

The closed set of types (`ANSWER_TYPES`) is what the extractors and the ranking dispatch on; nothing
downstream looks at the question's wording again for it. Japanese, English and mixed questions.
"""
from __future__ import annotations

import re
from typing import Literal

from ..schema import STANDARD_OPTIONS
from ..text import compact
from .extract import DATE_FACT, find_contact, is_yes_no

AnswerType = Literal["change", "contact", "period", "date", "count", "amount", "choice", "yesno",
                     "explain", "name", "list", "value"]
ANSWER_TYPES: tuple[str, ...] = ("change", "contact", "period", "date", "count", "amount", "choice", "yesno",
                                 "explain", "name", "list", "value")

CHANGE = re.compile(r"変更(?:前|後|され|した|し|日|箇所|に)|変わ|改正|追加され|削除され|\bchanged\b|\bchanges? (?:to|from|made|in)\b|"
                    r"\bthe change\b|\brevis|\bamend|"
                    r"\bprevious|\bbefore the\b|\bused to\b|moved from|\bwas added|\bwere added|\badded\b|\bdeleted\b|"
                    r"change log|history", re.I)
BEFORE = re.compile(r"変更前|以前|元は|もともと|\bfrom what\b|\bbefore\b|\bprevious|\bused to\b|\boriginally\b|何から", re.I)
PERIOD = re.compile(r"いつまで|何年間|何年|期間|how long|until when|for how many years|retention period", re.I)
COUNT = re.compile(r"how many|どれ(?:くらい|ぐらい)|どのくらい|何(?:項目|件|人|課|個|つ|名|種類|回|か所|箇所|システム)|いくつ|件数|number of|the count", re.I)
AMOUNT = re.compile(r"how much|いくら|金額|費用|料金|\bcost|\bprice|\bpay\b|\bpaid\b|\bfee", re.I)
BRACKET = re.compile(r"bracket|選択肢|区分|どっち|どちら(?!も)|which option|which rating|\brating|selected|選択され|"
                     r"どのレベル|どの程度|十分|レベル|\bor (?:some |any )?(?:other|another) (?:way|method|means|option)|のいずれ", re.I)
EXPLAIN = re.compile(r"\bwhy\b|\bhow\b(?! (?:many|much|long))|\bwhat (?:happens|measures|steps|is done|does)|"
                     r"なぜ|理由|どうして|どのよう|どうやって|どう(?:する|して|なる|やって|いう(?:手続|方法|措置))|方法|"
                     r"\b(?:contains?|includes?|stipulates?|specif(?:y|ies)|sets? out)\b|"
                     r"どんな(?:措置|対策|手続|方法|意見|規定)|どのような規定|何が(?:定め|規定)?|何を(?:して|行|定め)|何のため|目的|妥当性|内容", re.I)
NAME = re.compile(r"\bwho\b|\bwhich (?:company|companies|firm|vendor|body|organi[sz]ation|contractor)|"
                  r"\bwhat (?:is|was) the name|\bname of\b|\bcalled\b|誰|だれ|どこの(?:会社|業者)|会社名|業者名|社名|"
                  r"名前|名称|何て|どこ(?:の|に|が|か|へ|\s*[？?])?", re.I)
LIST = re.compile(r"\bwhich\b|"
                  r"\blist\b|どれ(?!くらい|ぐらい)|どの(?!くらい)|何と何|挙げ|列挙|一覧", re.I)


def asked_type(question: str, history: bool = False) -> AnswerType:
    """The type of answer a question expects.

    >>> asked_type("千葉市の国年の委託先は誰？"), asked_type("How long is the file kept?")
    ('name', 'period')
    >>> asked_type("再委託の有無はどっち？"), asked_type("Why does it need 地方税関係情報?")
    ('choice', 'explain')
    >>> asked_type("委託事項って何件？"), asked_type("What did the 入手元 say before the change?", history=True)
    ('count', 'change')
    >>> asked_type("Does Chiba use personal numbers for statistics?"), asked_type("問合せ先の電話番号は？")
    ('yesno', 'contact')
    """
    if history and CHANGE.search(question):
        return "change"
    if find_contact(question):
        return "contact"
    if BRACKET.search(question) or offered_options(question):
        return "choice"
    if PERIOD.search(question):
        return "period"
    if DATE_FACT.asked.search(question):
        return "date"
    if COUNT.search(question):
        return "count"
    if AMOUNT.search(question):
        return "amount"
    if is_yes_no(question):
        return "yesno"
    if NAME.search(question) and not re.search(r"\bhow\b|\bwhy\b|なぜ|どのよう", question, re.I):
        return "name"
    if EXPLAIN.search(question):
        return "explain"
    if LIST.search(question):
        return "list"
    return "value"


def asks_before(question: str) -> bool:
    """A change question that wants the earlier wording (with the later one): 'changed from what to what'."""
    return bool(BEFORE.search(question))


QUOTED = re.compile(r"[「『“\"]([^」』”\"]{2,40})[」』”\"]")


def offered_options(question: str) -> tuple[str, ...]:
    """The options a question offers to choose from (two or more): the form's own options it names,
    or the phrases it quotes when it asks which of them. Compacted, longest first.

    >>> offered_options("ルールは「定めている」と「定めていない」のどっち？")
    ('定めていない', '定めている')
    >>> offered_options("Is it 十分である or 課題が残されている?"), offered_options("保管期間は？")
    (('課題が残されている', '十分である'), ())
    """
    flat = compact(question)
    named = {compact(o) for o in STANDARD_OPTIONS if compact(o) in flat}
    named -= {o for o in named if any(o != p and o in p for p in named)}  # 行っている inside 十分に行っている
    if len(named) < 2 and BRACKET.search(question):
        named |= {compact(m.group(1)) for m in QUOTED.finditer(question)}
    return tuple(sorted(named, key=len, reverse=True)) if len(named) >= 2 else ()


MOVED = re.compile(r"(?:「([^」]{1,40})」|([0-9０-９][0-9０-９,，]*\s*\S{0,3}?))\s*から\s*(?:「([^」]{1,40})」|([0-9０-９][0-9０-９,，]*\s*\S{0,3}?))\s*(?:に|へ)|"
                   r"\bfrom\s+(?:[\"“]([^\"”]{1,40})[\"”]|([0-9][0-9,.]*))[^,?]{0,15}?\bto\s+(?:[\"“]([^\"”]{1,40})[\"”]|([0-9][0-9,.]*))", re.I)


# unquoted: '委託先名が日本電子計算株式会社からNECフィールディング株式会社に変わった'
MOVED_WORDS = re.compile(r"(?:が|は|を|、|\s)([^\s、。？?「」]{1,30}?)\s*から\s*([^、。？?「」]{1,30}?)\s*(?:に|へ)(?:変わ|変更|改|移)")


def moved_values(question: str) -> tuple[str, str] | None:
    """The earlier and later values a change question names ('5年から150年に', 'from 5 years to 150 years').

    >>> moved_values("保管期間が5年から150年に変わったのはいつ？"), moved_values("What changed?")
    (('5年', '150年'), None)
    """
    m = MOVED.search(question)
    if not m:
        m = MOVED_WORDS.search(question)
        return (compact(m.group(1)), compact(m.group(2))) if m else None
    before = m.group(1) or m.group(2) or m.group(5) or m.group(6)
    after = m.group(3) or m.group(4) or m.group(7) or m.group(8)
    return compact(before), compact(after)
