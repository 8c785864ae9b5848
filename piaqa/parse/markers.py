"""Recognise the structural lines of a form: section headings, sub-sections, groups and labels.

Everything here works on raw text (NFKC would turn Ⅰ ① ２． into I 1 2.) and returns None for
a line that is not of its kind.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..forms import SECTION_TITLES, SUBSECTION_TITLES
from ..schema import CIRCLED, known_labels, label_core
from ..text import compact, squeeze, strip_html

ROMAN = {"Ⅰ": "Ⅰ", "Ⅱ": "Ⅱ", "Ⅲ": "Ⅲ", "Ⅳ": "Ⅳ", "Ⅴ": "Ⅴ", "Ⅵ": "Ⅵ",
         "I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
HEADING = re.compile(r"^[\s\u3000]*(Ⅵ|Ⅴ|Ⅳ|Ⅲ|Ⅱ|Ⅰ|VI|IV|V|III|II|I)(?![A-Za-z])[\s\u3000．.]*(\S.*?)\s*$")
ANNEX = re.compile(r"^[\s\u3000]*[（(]\s*別添\s*([0-9０-９]*)\s*[)）][\s\u3000]*(.*?)\s*$")
SUBSECTION = re.compile(r"^[\s\u3000]*([0-9０-９]{1,2})\s*[．.]\s*(\S[^\t]*?)[\s\t]*$")
GROUP = re.compile(r"^[\s\u3000]*(システム|委託事項|提供先|移転先)\s*([0-9０-９]{1,2})(?![0-9０-９~～〜])[\s\u3000\t]*(.*?)\s*$")
PLACEHOLDER = re.compile(r"^[\s\u3000]*(システム|委託事項|提供先|移転先)\s*[0-9０-９]{1,2}\s*[~～〜]\s*[0-9０-９]{1,2}[\s\t]*$")
RISK = re.compile(r"^[\s\u3000]*リスク\s*([0-9０-９]{0,2})\s*[：:][\s\u3000]*(.*?)\s*$")
TOC = re.compile(r"^[\s\u3000]*項目一覧[\s\u3000]*$")
CHANGELOG_HEADER = re.compile(r"変更前の記載.*変更後の記載|^変更日\t項目")
COVER_LABELS = ("評価書番号評価書名", "評価書番号", "評価書名", "評価実施機関名", "公表日", "特記事項",
                "個人のプライバシー等の権利利益の保護の宣言", "個人情報保護委員会承認日【行政機関等のみ】",
                "特定個人情報保護委員会承認日【行政機関等のみ】")  # the last: the committee's name until 2016
_SECTIONS = tuple(compact(t) for t in SECTION_TITLES)
_SUBSECTIONS = tuple(compact(t) for t in SUBSECTION_TITLES)


@dataclass(frozen=True)
class Heading:
    level: int  # 1 = Ⅰ–Ⅵ / 別添, 2 = "1.", 3 = システムN / 委託事項N / リスクN …
    title: str  # display form: "Ⅱ 特定個人情報ファイルの概要", "4. 特定個人情報ファイルの取扱いの委託"
    annex: bool = False
    changelog: bool = False
    rest: str = ""  # text after a group name on the same line (its title)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def section_heading(line: str) -> Heading | None:
    """A Ⅰ–Ⅵ or 別添 heading.

    >>> section_heading("Ⅲ　リスク対策　※（７．②を除く。）").title
    'Ⅲ リスク対策 ※（７．②を除く。）'
    >>> section_heading(" （別添２） 変更箇所").changelog
    True
    >>> section_heading("I 基本情報").title, section_heading("Ⅰ．基本情報　　７ ．評価実施") is None
    ('Ⅰ 基本情報', True)
    """
    if "\t" in line.strip():
        return None
    m = ANNEX.match(line)
    if m:
        title = squeeze(m.group(2))
        number = nfkc(m.group(1))
        return Heading(1, f"(別添{number}) {title}".strip(), annex=True, changelog=compact(title).startswith("変更箇所"))
    m = HEADING.match(line)
    if not m:
        return None
    title = squeeze(m.group(2))
    core = compact(title)
    known = next((t for t in sorted(_SECTIONS, key=len, reverse=True) if core.startswith(t)), None)
    if known is None or core[len(known):][:1] not in ("", "※", "(", "（"):
        return None  # "Ⅱ．特定個人情報ファイルの概要　２．基本情報" is a change-log path
    return Heading(1, f"{ROMAN[m.group(1)]} {title}")


def subsection_heading(first_cell: str) -> Heading | None:
    """A numbered sub-section ("4. 特定個人情報ファイルの取扱いの委託") with a title the form uses.

    >>> subsection_heading(" ４．特定個人情報ファイルの取扱いの委託").title
    '4. 特定個人情報ファイルの取扱いの委託'
    >>> subsection_heading("1. 住民票の記載 転入") is None
    True
    """
    m = SUBSECTION.match(strip_html(re.split(r"[\[［<]|\s[○〇]", first_cell)[0]))
    if not m:
        return None
    title = squeeze(m.group(2))
    if not compact(title).startswith(_SUBSECTIONS):
        return None
    return Heading(2, f"{nfkc(m.group(1))}. {title}")


def group_heading(first_cell: str) -> Heading | None:
    """システムN / 委託事項N / 提供先N / 移転先N / リスクN: (placeholders such as システム2～5 are not groups).

    >>> group_heading("委託事項1").title, group_heading("リスク1： 目的外の入手").title
    ('委託事項1', 'リスク1: 目的外の入手')
    """
    m = GROUP.match(first_cell)
    if m:
        return Heading(3, f"{m.group(1)}{nfkc(m.group(2))}", rest=squeeze(strip_html(m.group(3))))
    m = RISK.match(first_cell)
    if m:
        number = nfkc(m.group(1))
        return Heading(3, f"リスク{number}: {squeeze(m.group(2))}")
    return None


def is_placeholder(line: str) -> bool:
    """`システム2～5`, `委託事項16～20`: empty range rows of the form."""
    return bool(PLACEHOLDER.match(line))


_LABEL_HEAD = re.compile(rf"^([{CIRCLED}][^\s\u3000\[［<]*)[\s\u3000]*(?:※)?[\s\u3000]*(.*)$")


def split_pdf_label(line: str) -> tuple[str, str] | None:
    """A PDF-dump label line: exactly one leading ASCII space, then the label and maybe its value.

    >>> split_pdf_label(" ①ファイルの種類　※ [ システム用ファイル")
    ('①ファイルの種類', '[ システム用ファイル')
    >>> split_pdf_label("国民年金に関する事務") is None
    True
    """
    if not line.startswith(" ") or line.startswith("  ") or not line.strip():
        return None
    body = line[1:].rstrip()
    m = _LABEL_HEAD.match(body) or re.match(r"^([^\s\u3000\[［]+)[\s\u3000]*(?:※)?[\s\u3000]*(.*)$", body)
    if not m:
        return None
    return m.group(1), m.group(2).strip()


_NOT_LABEL = re.compile(r"^[\[［(（<＜・\-—―－_0-9０-９]")


def table_label(cell: str) -> tuple[str, str] | None:
    """Is a table cell a label? Returns (label, value glued to it) or None.

    >>> table_label("⑦再委託の有無 ※")
    ('⑦再委託の有無', '')
    >>> table_label("情報の突合 ※ ・特定個人情報の正確性維持のために")
    ('情報の突合', '・特定個人情報の正確性維持のために')
    >>> table_label("[<input type=\\"checkbox\\"/>] 評価実施機関内の他部署") is None
    True
    """
    text = squeeze(strip_html(cell))
    if not text:
        return None
    m = _LABEL_HEAD.match(text)
    if m and len(m.group(1)) <= 60:
        return m.group(1), m.group(2)
    core = label_core(text)
    for known in known_labels():
        if core == known or (len(known) >= 8 and core.endswith(known) and len(core) <= 80):
            return re.sub(r"[\s\u3000]*※.*$", "", text), ""
    m = re.match(r"^(\S+?)[\s\u3000]+(?:※[\s\u3000]+)?(.+)$", text)
    if m and label_core(m.group(1)) in known_labels():
        return m.group(1), m.group(2)
    return None


def unknown_table_label(cell: str) -> bool:
    """A short first cell that is not a value: a label the catalogue does not know."""
    text = squeeze(strip_html(cell))
    return 0 < len(text) <= 40 and not _NOT_LABEL.match(text) and not text.endswith("。")
