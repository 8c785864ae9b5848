"""What a question names that the answer ranking compares items with, read once per question: the
sub-sections, annexes and groups it names by number, the values it quotes, the options it offers, a change
from one value to another, and the form's label words for its question words (方法 for "how")."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..query import expand
from ..text import compact
from ..tokenize import tokens
from .asks import moved_values, offered_options

GROUP = re.compile(r"(システム|委託事項|提供先|移転先)\s*([0-9０-９]+)")


def group_numbers(question: str) -> set[str]:
    """Groups a question names by number: "委託事項3", "system 2" -> {"委託事項3"}, {"システム2"}.

    >>> sorted(group_numbers("委託事項３ and system 2"))
    ['システム2', '委託事項3']
    """
    out = {f"{m.group(1)}{unicodedata.normalize('NFKC', m.group(2))}" for m in GROUP.finditer(question)}
    out |= {f"システム{m.group(1)}" for m in re.finditer(r"\bsystem\s*([0-9]+)", question, re.I)}
    out |= {f"委託事項{m.group(1)}" for m in re.finditer(r"\b(?:outsourc\w*|contract\w*) (?:item )?(?:no\. ?)?([0-9]+)", question, re.I)}
    return out


SECTION_NUMBER = re.compile(r"(?<![A-Za-z])([ⅠⅡⅢⅣⅤⅥ]|VI|IV|V|III|II|I)\s*[.．\-‐]\s*([0-9０-９]{1,2})(?![0-9０-９])")
ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
COVER = re.compile(r"表紙|\bcover\b", re.I)
ANNEX_NUMBER = re.compile(r"別添\s*([0-9０-９]{1,2})|\bannex\s*([0-9]{1,2})\b", re.I)


def section_numbers(question: str) -> set[tuple[str, str]]:
    """Sub-sections a question names by number: "Ⅱ.2", "III-5", "Ⅰ．５" -> {("Ⅱ", "2"), …}; an annex by its
    number: "別添１", "annex 2" -> ("別添", "1").

    >>> sorted(section_numbers("in Ⅱ.2 基本情報 and III-5, 別添１"))
    [('Ⅱ', '2'), ('Ⅲ', '5'), ('別添', '1')]
    """
    found = {(ROMAN.get(m.group(1), m.group(1)), unicodedata.normalize("NFKC", m.group(2)))
             for m in SECTION_NUMBER.finditer(question)}
    return found | {("別添", unicodedata.normalize("NFKC", m.group(1) or m.group(2))) for m in ANNEX_NUMBER.finditer(question)}


QUOTE = re.compile(r"[「『“\"]([^」』”\"]{2,40})[」』”\"]|(?<![0-9０-９])([0-9０-９][0-9０-９,，]*\s*(?:年|人|件|課|項目|か月|ヶ月))")


def quoted_values(question: str) -> tuple[str, ...]:
    """What a question quotes: 「…」 phrases and numbers with their units ('5年', '150年'), compacted.

    >>> quoted_values("保管期間が5年から150年に変わったのは「いつ」？")
    ('5年', '150年', 'いつ')
    """
    return tuple(compact(m.group(1) or m.group(2)) for m in QUOTE.finditer(question))


# What a question word asks for, in the words the form's labels use for it (方法 for "how", …).
WH_LABELS = (
    (re.compile(r"\bhow often\b|\bwhen\b|いつ|タイミング|頻度|時期", re.I), ("時期", "頻度")),
    (re.compile(r"\bwhy\b|なぜ|どうして|理由", re.I), ("妥当性", "必要性", "理由")),
    (re.compile(r"\bhow\b(?! (?:many|much|long|often))|どのよう|どうやって|方法", re.I), ("方法",)),
    (re.compile(r"\bwhere\b|どこ", re.I), ("場所", "入手元", "連絡先", "請求先")),
)


def wh_labels(question: str) -> tuple[str, ...]:
    """The label words that answer the question's question words.

    >>> wh_labels("How is the file given to the contractor?"), wh_labels("なぜ必要？")
    (('方法',), ('妥当性', '必要性', '理由'))
    """
    return tuple(w for pattern, words in WH_LABELS if pattern.search(question) for w in words)


@dataclass(frozen=True)
class Signals:
    """What the question says that the features compare items with, read once per question."""

    keys: tuple[str, ...]  # schema keys named, strongest first
    topic: frozenset[str]  # the topic's tokens (question + forms' words + the keys' labels)
    said: frozenset[str]  # the question's own tokens (with the forms' words for its English)
    flat: str  # the question (with those words), compacted
    numbers: frozenset[tuple[str, str]]  # sub-sections named by number
    cover: bool  # the cover (表紙) named
    groups: frozenset[str]  # groups named by number
    quotes: tuple[str, ...]
    moved: tuple[str, str] | None  # the earlier and later values of a change the question names
    offered: tuple[str, ...]  # the options it offers to choose from
    wh: tuple[str, ...]  # label words that answer its question words
    history: bool  # change-log rows are what is asked for


def signals(query, wants_history: bool) -> Signals:
    flat = compact(expand(query.text))
    offered = offered_options(query.text)  # the options offered identify no item: every option list has them
    return Signals(tuple(query.keys), frozenset(tokens(query.topic)), frozenset(tokens(flat)), flat,
                   frozenset(section_numbers(query.text)), bool(COVER.search(query.text)),
                   frozenset(group_numbers(query.text)), tuple(v for v in quoted_values(query.text) if v not in offered),
                   moved_values(query.text), offered, wh_labels(query.text), wants_history)
