"""Document metadata from the cover and the text: org, 事務, form type, 評価書番号, 公表日."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import compact, find_date, is_blank, squeeze

FORM = re.compile(r"(全項目|重点項目|基礎項目)評価書")
AFFAIR = re.compile(r"([一-龥ァ-ヶー・][一-龥ぁ-んァ-ヶー・]{1,24}に関する事務|[一-龥ァ-ヶー・]{2,20}事務)")
ORG_SUFFIX = r"(?:組合連合会|共済組合|連合会|広域連合|機構|[都道府県市区町村])"
DEFINED_ORG = re.compile(rf"([一-龥ァ-ヶー]{{2,30}}?{ORG_SUFFIX})[（(]以下")
DECLARATION_ORG = re.compile(rf"^[\s\u3000]*([^\s、。]{{1,20}}?{ORG_SUFFIX})は、[^。]*?特定個人情報ファイル")
HEAD_ORG = re.compile(rf"^(\S{{1,20}}?{ORG_SUFFIX})(?:長|知事)$")
COVER_LINES = 60
COVER_WORDS = frozenset(compact(w) for w in ("評価書番号", "評価書名", "評価実施機関名", "公表日", "特記事項", "項目一覧"))


@dataclass(frozen=True)
class Meta:
    org: str | None
    affair: str | None
    form: str | None
    number: str | None
    title: str | None
    published: str | None


def _next_value(lines: list[str], i: int) -> str | None:
    for line in lines[i + 1: i + 4]:
        if not is_blank(line):
            return squeeze(line.replace("\t", " "))
    return None


def _find(lines: list[str], label: str) -> int | None:
    for i, line in enumerate(lines[:COVER_LINES]):
        if compact(line) == compact(label):
            return i
    return None


def number_and_title(lines: list[str]) -> tuple[str | None, str | None]:
    """評価書番号 and 評価書名, whether printed as one row (`41 大分市 … 評価書`) or apart."""
    for i, line in enumerate(lines[:COVER_LINES]):
        if compact(line) == "評価書番号評価書名":
            value = _next_value(lines, i) or ""
            m = re.match(r"^([0-9０-９]+)\s+(.+)$", value)
            return (m.group(1), m.group(2)) if m else (None, value or None)
    number = title = None
    i = _find(lines, "評価書番号")
    if i is not None:
        value = _next_value(lines, i)
        number = value if value and re.fullmatch(r"[0-9０-９]+", value) else None
    i = _find(lines, "評価書名")
    if i is not None:
        title = _next_value(lines, i)
    return number, title


def published(lines: list[str]) -> str | None:
    """公表日, only when a date follows its label (002 prints the label with no value)."""
    i = _find(lines, "公表日")
    value = _next_value(lines, i) if i is not None else None
    return find_date(value) if value else None


def form_type(lines: list[str], changelog_only: bool) -> str | None:
    if changelog_only:
        return "変更箇所のみ"
    for line in lines[:COVER_LINES]:
        m = FORM.search(line)
        if m:
            return m.group(0)
    return None


def evaluator(lines: list[str]) -> str | None:
    """The organisation the cover's 評価実施機関名 names, without the head's title (`内子町長` → 内子町)."""
    i = _find(lines, "評価実施機関名")
    value = _next_value(lines, i) if i is not None else None
    if not value or not 2 <= len(value) <= 30 or " " in value or compact(value) in COVER_WORDS \
            or find_date(value) or re.search(r"評価|公表|承認|特記", value):
        return None  # blank on the cover: the next line is another label or its value
    head = HEAD_ORG.match(value)
    return head.group(1) if head else value


def organisation(lines: list[str], title: str | None) -> str | None:
    """From the cover's 評価実施機関名, the 評価書名, the 宣言 (`大分市は、…`), or the body's own definition."""
    found = evaluator(lines)
    if found:
        return found
    if title:
        first = re.split(r"[\s\u3000]+", title)[0]
        if re.search(rf"{ORG_SUFFIX}$", first) and not first.endswith("事務"):
            return first
    for line in lines[:COVER_LINES]:
        m = DECLARATION_ORG.match(line)
        if m:
            return m.group(1)
    for line in lines[:COVER_LINES]:
        m = HEAD_ORG.match(line.strip())
        if m:
            return m.group(1)
    m = DEFINED_ORG.search("".join(line.strip() for line in lines[:200]))
    return m.group(1) if m else None


def affair(lines: list[str], title: str | None, affair_item: str | None) -> str | None:
    for text in (title, affair_item):
        if text:
            m = AFFAIR.search(text.replace("\u3000", " "))
            if m:
                return m.group(1)
    m = re.search(r"([一-龥ァ-ヶー・]{2,20}に関する事務)", "".join(line.strip() for line in lines[:200]))
    return m.group(1) if m else None


def extract(lines: list[str], changelog_only: bool, affair_item: str | None) -> Meta:
    number, title = number_and_title(lines)
    return Meta(org=organisation(lines, title), affair=affair(lines, title, affair_item),
                form=form_type(lines, changelog_only), number=number, title=title, published=published(lines))
