"""Typed extraction: the value a question asks for, taken from one chunk.

One extractor per answer type, all `(chunk, question, topic_tokens) -> str | None`; `None` means the
chunk does not hold a value of that type. The helpers of `extract.py` do the pattern work.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from ..models import Chunk
from ..schema import by_key
from ..text import DATE, is_placeholder
from ..tokenize import tokens
from .asks import asks_before
from .extract import DATE_FACT, asked_unit, best_sentence, count_answer, find_contact, find_quantity, numbered_count, plain
from .yesno import extract_yes_no

Extractor = Callable[[Chunk, str, set[str]], "str | None"]
OPTION_DEBRIS = re.compile(r"\[\s*[○〇]?\s*\]|^\s*[\[\]［］]|[\[\]［］]\s*$")
SHORT = 160  # a value longer than this is answered with its best sentence


def is_debris(text: str) -> bool:
    """Left-over option brackets of a check-box list ('[ ] 宛名システム等 ['), not a value."""
    rest = OPTION_DEBRIS.sub("", re.sub(r"\[\s*\]\s*[^\[\]]*", "", text))
    return bool(OPTION_DEBRIS.search(text)) and len(rest.strip()) < 4


def extract_value(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """The selected option, the ticked boxes, or the value (its best sentence when long)."""
    if chunk.selected:
        return chunk.selected
    if chunk.checked:
        return "、".join(chunk.checked)
    value = plain(chunk)
    if is_placeholder(value) or is_debris(value):
        return None
    return value if len(value) <= SHORT else best_sentence(value, topic)


# "[ 10万人以上100万人未満" / "[ 十分である ]": a selected option printed in brackets, not a check box ("[ ○ ] …")
BRACKETED = re.compile(r"[\[［]\s*(?![○〇\]］\s])([^\[\]［］\n]{2,40}?)\s*(?:[\]］]|$)", re.M)


def extract_choice(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """The selected option (or the ticked boxes): never the option list. In a PDF text dump, where a
    selected option is often printed away from its label, a bracketed option in the passage counts too.

    >>> from piaqa.models import Chunk
    >>> extract_choice(Chunk("x", "d", None, None, None, "Ⅱ", "", None, "", "", (1, 1), None, False,
    ...                      value="[ 10万人以上100万人未満\\n] 4情報", family="pdf_text"), "", set())
    '10万人以上100万人未満'
    """
    if chunk.selected or chunk.checked:
        return extract_value(chunk, question, topic)
    if chunk.family == "pdf_text":
        m = BRACKETED.search(chunk.value)
        return m.group(1).strip() if m else None
    return None


NAME_FIELD = re.compile(r"(?:名称|商号|会社名|業者名|事業者名)\s*[：:]\s*([^\s、。]{2,40})")
# a company's name: the corporate form with the words before or after it, up to a particle or a mark
COMPANY = re.compile(r"(?:株式会社|有限会社|合同会社)[^\s、。（）()「」：:のはがをとにで]{1,25}|"
                     r"[^\s、。（）()「」：:のはがをとにで]{1,25}(?:株式会社|有限会社|合同会社|㈱)")


def extract_name(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """A name: the value when it is short (a company, a system, a department); in a longer text, the
    name its 名称： line gives, or the one company it names (the one in its best sentence, if several)."""
    value, text = extract_value(chunk, question, topic), plain(chunk)
    if value and (len(text) <= SHORT or chunk.selected or chunk.checked) and len(value) <= 80:
        return value
    field = NAME_FIELD.search(text)
    if field:
        return field.group(1)
    companies = list(dict.fromkeys(m.group(0) for m in COMPANY.finditer(text)))
    if len(companies) == 1:
        return companies[0]
    in_best = COMPANY.findall(best_sentence(text, topic)) if companies else []
    return in_best[0] if in_best else None


def extract_count(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """A count: a number with the counter asked for ('24課'), '(N) 件', or the length of a numbered list
    (only when no other counter than 件/項目 is asked for: '何課' is not answered by a list's length)."""
    text = named_block(chunk.text, question) or "\n".join(t for t in (chunk.value, chunk.text) if t)
    unit = asked_unit(question)
    if unit in ("人", "課") and not find_quantity(text, unit):
        return None
    return count_answer(question, text, set(tokens(question)))  # the question's own words name what is counted


BLOCK_HEAD = re.compile(r"[<＜【]([^<>＜＞【】\n]{2,30})[>＞】]")


def named_block(text: str, question: str) -> str | None:
    """The block of `text` under a sub-heading the question names ("<大分市の措置>", "【紙書類】"), up to
    the next such heading; None when the question names none that the text has.

    >>> named_block("<市の措置>\\n1. a\\n2. b\\n<国の措置>\\n1. c", "how many under <市の措置>?")
    '\\n1. a\\n2. b\\n'
    """
    for name in BLOCK_HEAD.findall(question):
        m = re.search(rf"[<＜【]\s*{re.escape(name.strip())}\s*[>＞】]", text)
        if m:
            rest = text[m.end():]
            end = BLOCK_HEAD.search(rest)
            return rest[:end.start()] if end else rest
    return None


def extract_period(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """A period: the selected bracket (6年以上10年未満) or a number of years in the text (150年間)."""
    if chunk.selected:
        return chunk.selected
    for m in PERIOD_FOUND.finditer(plain(chunk)):
        return m.group(0)
    return None


# a number of years, months or days — not the year of a date (令和6年2月1日, 2024年)
PERIOD_FOUND = re.compile(r"(?<![0-9０-９和成治正])[0-9０-９]{1,3}\s*(?:年|か月|ヶ月|カ月|箇月)(?:間|以上|未満)?(?![0-9０-９]{1,2}\s*月)")


def extract_date(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """An era date in the item's own text."""
    m = DATE.search(chunk.value or chunk.text)
    return m.group(0) if m else None


def extract_contact(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """The contact detail asked for (e-mail, fax, phone, URL), as written."""
    fact = find_contact(question)
    m = fact.found.search(chunk.text) if fact else None
    return m.group(0).strip() if m else None


AMOUNT_FOUND = re.compile(r"[0-9０-９][0-9０-９,，]*\s*(?:円|万円|千円)|無料|有料")


def extract_amount(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """A sum of money (or 無料/有料) in the item."""
    m = AMOUNT_FOUND.search(chunk.selected or plain(chunk))
    return m.group(0) if m else None


def extract_explanation(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """The explanatory text itself (how, why, what is done): the value, or its best sentences; for an
    item of check boxes (提供方法, 入手方法) the boxes ticked — how it is done, as the form says it."""
    if chunk.checked:
        return "、".join(chunk.checked)
    if chunk.selected and not plain(chunk).replace(chunk.selected, "").strip(" []［］"):
        return None  # a bare rating explains nothing
    value = plain(chunk)
    if is_placeholder(value) or is_debris(value):
        return None
    return value if len(value) <= SHORT * 2 else best_sentence(value, topic, limit=SHORT * 2)


def extract_change(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """From a change-log row: its 変更日 for 'when', else the wording after the change (before → after
    when the earlier wording is asked for)."""
    if not chunk.history:
        return None
    change = chunk.change
    if DATE_FACT.asked.search(question) or "変更日" in question:
        return (change.date if change else None) or extract_date(chunk, question, topic)
    if change and change.after:
        after = change.after
        if change.before and asks_before(question):
            return f"{change.before} → {after}"
        return after if len(after) <= SHORT * 2 else best_sentence(after, topic, limit=SHORT * 2)
    return extract_explanation(chunk, question, topic)


def extract_list(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """The ticked boxes, or the value."""
    if chunk.checked:
        return "、".join(chunk.checked)
    value = plain(chunk)
    if is_placeholder(value) or is_debris(value):
        return None
    return value if len(value) <= SHORT * 2 else best_sentence(value, topic, limit=SHORT * 2)


EXTRACTORS: dict[str, Extractor] = {
    "change": extract_change, "contact": extract_contact, "period": extract_period, "date": extract_date,
    "count": extract_count, "amount": extract_amount, "choice": extract_choice, "yesno": extract_yes_no,
    "explain": extract_explanation, "name": extract_name, "list": extract_list, "value": extract_value,
}
# Where a type finds nothing, these are tried in order (a "which bracket" item may be a plain value).
FALLBACK: dict[str, tuple[str, ...]] = {
    "choice": ("value",), "name": ("value",), "list": ("value",), "period": (), "count": ("choice",), "date": (),
    "contact": (), "amount": (), "change": (), "yesno": (), "explain": ("value",), "value": (),
}


def empty(chunk: Chunk) -> bool:
    """A blank item, or a choice with no option selected (its option list says nothing).

    >>> from piaqa.models import Chunk
    >>> empty(Chunk("x", "d", None, None, None, "Ⅱ", "期間", "storage.period", "期間 [] 1) 1年未満 2) 1年", "", (1, 1),
    ...             None, False, value="期間 [] 1) 1年未満 2) 1年"))
    True
    """
    if chunk.state:  # a catalogue item: its typed value says; unread, its value is printed elsewhere
        return chunk.state != "read"
    if chunk.selected or chunk.checked:
        return False
    rest = re.sub(r"[\[\]［］]", "", chunk.value).replace(chunk.item, "")
    entry = by_key(chunk.key) if chunk.key else None
    return is_placeholder(rest) or bool(entry and entry.choice and (len(rest) < 4 or OPTION_LIST.search(rest)))


OPTION_LIST = re.compile(r"(?:^|\s)1\s*[)）]\s*\S+.*\s2\s*[)）]", re.S)


def extract_kind(chunk: Chunk, asks: str, question: str, topic: set[str]) -> tuple[str | None, str | None]:
    """(value, the type it was taken as): `asks` first, then its `FALLBACK` types; (None, None) when none
    (always for an empty item: an option list is not a value)."""
    if empty(chunk):
        return None, None
    for kind in (asks, *FALLBACK[asks]):
        found = EXTRACTORS[kind](chunk, question, topic)
        if found and found.strip():
            return unicodedata.normalize("NFC", found.strip()), kind
    return None, None


def extract(chunk: Chunk, asks: str, question: str, topic: set[str]) -> str | None:
    """The answer of type `asks` in a chunk, falling back as `FALLBACK` says; None when there is none.

    >>> from piaqa.models import Chunk
    >>> c = Chunk("x", "d", None, None, None, "Ⅱ", "⑦再委託の有無", None, "⑦再委託の有無 [ 再委託する", "", (1, 1),
    ...           None, False, selected="再委託する", value="[ 再委託する")
    >>> extract(c, "choice", "再委託の有無は？", set()), extract(c, "date", "いつ？", set()) is None
    ('再委託する', True)
    """
    return extract_kind(chunk, asks, question, topic)[0]


__all__ = ["EXTRACTORS", "FALLBACK", "empty", "extract", "extract_kind", "is_debris", "numbered_count", "plain"]
