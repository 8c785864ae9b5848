"""Text hygiene, done once and here only.

Structure is found on raw text (NFKC would turn Ⅰ ① ２． into I 1 2.); citations keep raw text;
`search_copy` is the only place NFKC is applied.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

TAG = re.compile(r"<[^>]*>")
BLOCK_TAG = re.compile(r"</?(?:p|br|li|tr|ul|ol|div|table)\b[^>]*>", re.I)
CHECKED_INPUT = re.compile(r"<input\b[^>]*\bchecked\b[^>]*>", re.I)
CELL_TAG = re.compile(r"</?td\b[^>]*>", re.I)
SPACES = re.compile(r"[ \t\u3000]+")
DATE = re.compile(r"(?:令和|平成|昭和)\s*(?:元|[0-9０-９]{1,2})\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日")
PLACEHOLDERS = frozenset({"", "-", "－", "—", "――", "―", "————", "——", "_____", "--", "[]", "なし", "特になし",
                          "(記載なし)", "（記載なし）"})
POINTERS = re.compile(r"(?:提供先|移転先)一覧に記載|別紙\s*[0-9０-９]*\s*のとおり")
LIST_START = re.compile(r"^\s*(?:[・●○◆■※【＜<（(]|[0-9０-９]{1,2}\s*[．.、)）]|[①-⑳])")


# Kangxi radicals, the CJK radicals supplement and the compatibility ideographs: code points PDF
# text extraction emits in place of the ideographs the author typed (⼤ for 大, ⺠ for 民).
RADICAL_FORMS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
CJK_UNIFIED = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


@lru_cache(maxsize=1)
def _radical_supplement() -> dict[str, str]:
    """CJK radicals supplement → the unified ideograph it looks like, from Unicode's confusables
    (UTS #39), which the `confusable_homoglyphs` package ships; Unicode gives these no decomposition."""
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) == 1 and "\u2e80" <= char <= "\u2eff":
            same = [h["c"] for h in homoglyphs if len(h["c"]) == 1 and CJK_UNIFIED.match(h["c"])]
            if same:
                table[char] = same[0]
    return table


@lru_cache(maxsize=None)
def _ideograph(char: str) -> str:
    mapped = unicodedata.normalize("NFKC", char)  # Kangxi radicals, compatibility ideographs
    if mapped != char and CJK_UNIFIED.fullmatch(mapped):
        return mapped
    return _radical_supplement().get(char, char)


def standard_ideographs(text: str) -> str:
    """Radical and compatibility code points replaced by the standard ideographs (by Unicode block:
    NFKC for Kangxi radicals and compatibility ideographs, Unicode's confusables for the radicals
    supplement, which has no decomposition). Nothing else in the text changes.

    >>> standard_ideographs("\u2f24分市 住\u2ea0基本台帳 ①")
    '大分市 住民基本台帳 ①'
    """
    return RADICAL_FORMS.sub(lambda m: _ideograph(m.group()), text) if RADICAL_FORMS.search(text) else text


def is_blank(line: str) -> bool:
    """A line of only spaces, tabs or U+3000 is blank.

    >>> is_blank("\\u3000"), is_blank(" x")
    (True, False)
    """
    return not line.strip(" \t\u3000\r")


def strip_html(text: str) -> str:
    """Drop HTML markup, keeping the text and a space where a block or cell ended.

    >>> strip_html('<p>[<input type="checkbox"/> 委託する]</p><td>a</td>')
    '[ 委託する] a'
    """
    text = CHECKED_INPUT.sub("○", text)
    text = BLOCK_TAG.sub(" ", text)
    text = CELL_TAG.sub(" ", text)
    text = TAG.sub(" ", text)
    text = html.unescape(text)
    return SPACES.sub(" ", text).strip()


def squeeze(text: str) -> str:
    """Collapse runs of spaces, tabs and U+3000 into one space."""
    return SPACES.sub(" ", text).strip()


def join_wrapped(lines: list[str]) -> str:
    """Join lines of one PDF cell without spaces; a line that starts a list item keeps its break.

    >>> join_wrapped(["…国民", "年金に関する事務", "・次の項目"])
    '…国民年金に関する事務\\n・次の項目'
    """
    out: list[str] = []
    for line in (s.strip(" \t\u3000") for s in lines):
        if not line:
            continue
        if out and not LIST_START.match(line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def table_columns(lines: list[str]) -> list[list[str]]:
    """The non-empty cells of tab-separated rows, column by column (HTML stripped).

    >>> table_columns(["a\\tb", "\\tc"])
    [['a'], ['b', 'c']]
    """
    columns: list[list[str]] = []
    for line in lines:
        for i, cell in enumerate(line.split("\t")):
            while len(columns) <= i:
                columns.append([])
            if cell.strip():
                columns[i].append(squeeze(strip_html(cell)))
    return columns


def search_copy(text: str) -> str:
    """The normalised copy used for matching and search: HTML gone, NFKC, lower case.

    >>> search_copy("Ⅱ　４．<p>ＡＢＣ</p>")
    'ii 4. abc'
    """
    return squeeze(unicodedata.normalize("NFKC", strip_html(text))).casefold()


def compact(text: str) -> str:
    """search_copy without any whitespace: for comparing labels and values.

    >>> compact("再委託 する ※")
    '再委託する※'
    """
    return re.sub(r"\s+", "", search_copy(text))


# The eras dates are printed in: (name, its first Western year, its first (month, day)).
ERAS = (("令和", 2019, (5, 1)), ("平成", 1989, (1, 8)), ("昭和", 1926, (12, 25)))
ERA_START = {era: first_year - 1 for era, first_year, _ in ERAS}  # year N of an era is ERA_START + N
ERA_DATE = re.compile(r"(令和|平成|昭和)\s*(元|[0-9]{1,2})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日")


def date_key(text: str | None) -> tuple[int, int, int] | None:
    """A Japanese-era date as (year, month, day) in the Western calendar, for ordering; None if none.

    >>> date_key("令和元年10月11日"), date_key("平成31年4月17日"), date_key("未定")
    ((2019, 10, 11), (2019, 4, 17), None)
    """
    m = ERA_DATE.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    year = 1 if m.group(2) == "元" else int(m.group(2))
    return ERA_START[m.group(1)] + year, int(m.group(3)), int(m.group(4))


def day_key(text: str | None) -> tuple[int, int, int] | None:
    """A date as typed — Japanese era (令和6年4月1日) or Western (2024-04-01, 2024/4/1, 2024年4月1日) — as
    (year, month, day); None if it is neither.

    >>> day_key("2024-04-01"), day_key("令和6年4月1日"), day_key("yesterday")
    ((2024, 4, 1), (2024, 4, 1), None)
    """
    era = date_key(text)
    if era:
        return era
    m = re.fullmatch(r"\s*((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?\s*",
                     unicodedata.normalize("NFKC", text or ""))
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def find_date(text: str) -> str | None:
    """The first Japanese-era date in `text`, as written.

    >>> find_date("体裁修正平成31年4月17日")
    '平成31年4月17日'
    """
    m = DATE.search(text)
    return m.group(0) if m else None


def is_placeholder(value: str) -> bool:
    """Empty, a dash, or a pointer to a list the file does not contain.

    >>> is_placeholder("—"), is_placeholder("提供先一覧に記載"), is_placeholder("日本電気株式会社")
    (True, True, False)
    """
    text = squeeze(value)
    return text in PLACEHOLDERS or bool(POINTERS.fullmatch(text)) or not re.search(r"\w", text)


def without_format_chars(text: str) -> str:
    """Text without invisible format characters (Unicode category Cf: zero-width spaces, joiners, BOMs,
    direction marks), which paste into questions and split words.

    >>> without_format_chars("委\u200b託先\ufeff")
    '委託先'
    """
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def has_content(text: str) -> bool:
    """Whether a question has any word at all (letters, kana, kanji or digits), not only punctuation.

    >>> has_content("？！。…"), has_content(".*"), has_content("委託先は？")
    (False, False, True)
    """
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
