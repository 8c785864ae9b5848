"""Where the value is when it is not in the item asked about: printed beside it (PDF dumps print a
selected option or a value some lines away), in the detail item under a rating, in a sibling item of the
same group, or in every group the item recurs in. Pure look-ups over one document's chunks.
"""
from __future__ import annotations

import re
import unicodedata

from ..models import Chunk
from ..parse.fields import split_options
from ..chunk import is_empty
from ..orgs import normalise
from ..schema import CATALOGUE, by_key, has_sub_rows
from ..vocabulary import ENGLISH
from ..text import compact
from .extract import asked_unit, find_quantity, numbered_count
from .extractors import empty, extract, extract_kind
from .rank import Scored, group_number, group_of
from .signals import group_numbers

WHY = re.compile(r"\bwhy\b|reason|なぜ|理由|どうして|妥当性", re.I)


def siblings_of(index, chunk: Chunk) -> list[Chunk]:
    """The other current (not change-log) items of a chunk's section."""
    return [c for c in index.section_of(chunk) if not c.history and c.id != chunk.id]


def children_of(siblings: list[Chunk], chunk: Chunk) -> list[Chunk]:
    """The sub-rows the 様式 prints under an item (its その妥当性, 具体的な…; catalogue `parent`), among its siblings."""
    return [c for c in siblings if chunk.key and c.key and by_key(c.key).parent == chunk.key]


def justifies(chunk: Chunk) -> bool:
    """A row that gives the reason for another (その妥当性, 入手に係る妥当性 …)."""
    return bool(chunk.key) and any("妥当性" in label for label in by_key(chunk.key).labels)


def stated_elsewhere(index, question: str, blank: Chunk) -> Chunk | None:
    """When an item is blank, the fact may still be stated in its own sub-rows: a reason in its その妥当性
    (for "why"), or the quantity asked for (150年間, in ②保管期間's その妥当性). An item the 様式 prints
    sub-rows for is answered from those alone (さいたま市's 紙書類 kept 7年 under ③消去方法 is no 保管期間);
    one without, from the other items of its group."""
    siblings = siblings_of(index, blank)
    own = children_of(siblings, blank) or ([] if blank.key and has_sub_rows(blank.key) else siblings)
    if WHY.search(question):
        return next((c for c in own if justifies(c) and not empty(c)), None)
    unit = asked_unit(question)
    if unit:
        return next((c for c in own if find_quantity(c.value, unit)), None)
    return None


def value_beside(index, chunk: Chunk, asks: str, question: str, asked: set[str]) -> tuple[Chunk, str] | None:
    """The item asked about holds no value of the asked type (a rating, where "何課" is asked; a
    blank period): the nearest current item of the same section that does (具体的な内容, その妥当性, …)."""
    siblings = sorted(siblings_of(index, chunk), key=lambda c: (c.lines[0] < chunk.lines[0], abs(c.lines[0] - chunk.lines[0])))
    for c in siblings[:4]:
        found, kind = extract_kind(c, asks, question, asked)
        if found and kind == asks:
            return c, found
    return None


OPTION_REACH = 30  # lines from a choice item where its selected option may be printed


def printed_option(index, chunk: Chunk, offered: tuple[str, ...] = ()) -> tuple[Chunk, str] | None:
    """In a PDF dump a choice item's own row holds only its option list (＜選択肢＞ 1） … 2） …), or nothing;
    the option selected is printed in brackets some lines away ("][ 基礎項目評価…", "[ 定めている").
    The nearest such option (of the item's list, or else of those the question offers), and its passage:
    the lines after the item first."""
    options = sorted(split_options(chunk.text)[1] or offered, key=len, reverse=True)
    if len(options) < 2:
        return None
    near = sorted((c for c in index.chunks_of(chunk.doc) if not c.history and c.id != chunk.id
                   and abs(c.lines[0] - chunk.lines[1]) <= OPTION_REACH),
                  key=lambda c: (c.lines[0] < chunk.lines[0], abs(c.lines[0] - chunk.lines[1])))
    for c in near:
        text = compact(split_options(c.text)[0])  # the option lists printed nearby choose nothing
        for option in options:
            at = text.find(compact(option))
            if at >= 0 and re.search(r"[\[\]［］]", text[max(0, at - 2):at] + text[at + len(compact(option)):][:2]):
                return c, option
    return None


def detail_of(index, chunk: Chunk) -> Chunk | None:
    """The 具体的な… item that follows a rating (十分に行っている) and says what is actually done."""
    after = [c for c in siblings_of(index, chunk) if c.lines[0] > chunk.lines[1]]
    own = children_of(after, chunk)
    return own[0] if own else next((c for c in after[:2] if c.item.startswith(("具体的", "その内容"))
                                    or c.item.endswith("の内容") or c.key == "audit.detail"), None)


def every_value(index, best: Scored, question: str, asked: set[str]) -> list[tuple[Chunk, str]]:
    """When the chosen item recurs in several groups (委託事項1…N) and the question names none of them,
    the value of each group, in source order; otherwise []."""
    chunk = best.candidate.chunk
    group = group_of(chunk)
    if not chunk.key or not group or best.features.group >= 0.5 or group_numbers(question):
        return []
    part = chunk.section.split(" > ")[0]  # the same section (Ⅱ): a PDF dump may print a group under the
    # sub-section before its own, or a group's value outside any group (then it is named by its item)
    same = [c for c in index.chunks_of(chunk.doc) if c.key == chunk.key and not c.history
            and c.section.split(" > ")[0] == part]
    found = [(c, None if empty(c) else extract(c, "value", question, asked)) for c in same]
    grouped: dict[str, tuple[Chunk, str]] = {}
    for c, value in found:
        if value and group_of(c) and group_of(c) not in grouped:
            grouped[group_of(c)] = (c, value)
    if len(grouped) < 2:
        return []
    given = {v for _, v in grouped.values()}
    loose = [(c, v) for c, v in found if v and not group_of(c) and v not in given]
    return sorted([*grouped.values(), *loose], key=lambda cv: (group_of(cv[0]) is None, cv[0].lines[0]))


def annex_count(index, chunk: Chunk) -> tuple[int, list[Chunk]] | None:
    """How many entries a numbered annex (別添 記録項目) lists, counted over all its passages — an annex split
    into several passages is one list — with the passages of its first and last entries; None when the
    chunk is no annex item or its entries are not numbered."""
    if not chunk.key or by_key(chunk.key).type != "annex":
        return None
    whole = [c for c in index.chunks_of(chunk.doc) if c.key == chunk.key and c.section == chunk.section and not c.history]
    n = numbered_count("\n".join(c.text for c in whole))
    if not n:
        return None
    entry = re.compile(rf"(?<![0-9]){n}(?![0-9])")
    last = next((c for c in reversed(whole) if entry.search(unicodedata.normalize("NFKC", c.text))), whole[-1])
    return n, list(dict.fromkeys([last, whole[0]]))


GROUPS = tuple(dict.fromkeys(it.group for it in CATALOGUE if it.group))  # システム, 委託事項, 提供先, 移転先, リスク
COUNTED = r"(?:の数|数)?(?:は|が|って|を)?(?:全部で|合計で?|合わせて)?\s*(?:いくつ|幾つ|何(?:件|個|つ|種類))"


def counted_group(question: str) -> str | None:
    """The group a question counts (「システムはいくつ？」, "how many systems"), by the group names of the 様式
    catalogue (and their English words), or None.

    >>> counted_group("千葉市の国民年金で使っているシステムはいくつ？"), counted_group("How many systems does it use?")
    ('システム', 'システム')
    >>> counted_group("システムの機能は？") is None
    True
    """
    low = normalise(question)
    for group in GROUPS:
        english = [en for en, ja in ENGLISH.items() if ja == group]
        if re.search(re.escape(group) + COUNTED, low) or any(
                re.search(rf"\bhow many (?:\w+ ){{0,2}}{re.escape(en)}s?\b", low) for en in english):
            return group
    return None


def group_members(index, doc: str, group: str) -> list[Chunk]:
    """One passage per member of a group (システム1, システム2 …) that the document fills in: the group's first
    item (①システムの名称 for システム, as the 様式 prints it first in each member), one per member — a member
    whose title a PDF dump lost counts by its item — in print order; a placeholder range left blank is none."""
    first = next(it.key for it in CATALOGUE if it.group == group)
    members: dict[tuple, Chunk] = {}
    for c in index.chunks_of(doc):
        if c.key == first and not c.history and not is_empty(c):
            members.setdefault((group_number(c), c.section, c.item), c)  # the parts of one long value: one member
    return list(members.values())
