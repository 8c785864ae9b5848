"""The data that moves through the pipeline, as frozen dataclasses.

ingest -> parse (Document, Section, Item) -> chunk (Chunk) -> store -> retrieve (Hit).
New values are made with `dataclasses.replace`, never by mutation.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]  # 1-based, inclusive line numbers in the source file


@dataclass(frozen=True)
class Change:
    """One row of a 変更箇所 (change log): what a passage used to say and what it says now.

    Fields are None where the source does not let them be recovered with certainty
    (PDF dumps scramble change-log cells; a date stacked at the top of a page cannot be tied to a row).
    """

    date: str | None = None
    before: str | None = None
    after: str | None = None
    timing: str | None = None  # 提出時期: 事前 / 事後
    why: str | None = None  # 提出時期に係る説明 (【重要な変更】…): searched, never an answer


@dataclass(frozen=True)
class Item:
    """One form item: a labelled row (①委託先名), a table row, or unlabelled text of a section.

    `raw` keeps the source lines exactly (for citations); `value` is the cleaned text:
    HTML stripped, option lists (<選択肢> 1) … 2) …) removed, wrapped lines joined.
    """

    label: str
    key: str | None
    value: str
    raw: str
    lines: Span
    selected: str | None = None
    checked: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    page: int | None = None
    history: bool = False
    change: Change | None = None
    state: str = ""  # of a catalogue item's typed value: read / unselected / blank / unread (parse/record.py)


@dataclass(frozen=True)
class Section:
    """A node of the form tree: Ⅰ–Ⅵ and 別添 at level 1, `1.` sub-sections at level 2,
    システムN / 委託事項N / 提供先N / 移転先N / リスクN at level 3."""

    title: str
    level: int
    lines: Span
    items: tuple[Item, ...] = ()
    children: tuple["Section", ...] = ()
    history: bool = False


@dataclass(frozen=True)
class Document:
    """A parsed assessment: metadata, the raw lines and the section tree."""

    source: str  # file name, as the evaluation refers to it
    sha256: str
    family: str  # "pdf_text" (wrapped, interleaved cells) or "table_text" (tab/HTML rows)
    org: str | None
    affair: str | None
    form: str | None  # 全項目評価書 / 重点項目評価書 / 基礎項目評価書 / 変更箇所のみ
    number: str | None  # 評価書番号
    title: str | None  # 評価書名
    published: str | None  # 公表日
    sections: tuple[Section, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)
    pages: tuple[int, ...] = field(default=(), repr=False)  # page of each line, () when unknown
    source_lines: tuple[int, ...] = field(default=(), repr=False)  # line of the file each line came from,
    # when the text had lost its line breaks and `lines` were recovered (parse/reflow.py); () otherwise


@dataclass(frozen=True)
class Chunk:
    """What is indexed: one item (or a part of a long one) with its context."""

    id: str
    doc: str
    org: str | None
    affair: str | None
    form: str | None
    section: str  # human path, " > " separated
    item: str  # the item's label ("" for unlabelled text)
    key: str | None  # canonical schema key of the item
    text: str  # raw source text of the passage (for citation)
    search_text: str  # context + cleaned value, what BM25 and the embedder see
    lines: Span
    page: int | None
    history: bool
    selected: str | None = None
    checked: tuple[str, ...] = ()
    value: str = ""
    family: str = ""  # of the document: in a PDF dump an empty label often has its value elsewhere
    change: Change | None = None  # a change-log row's 変更日 / 変更前 / 変更後, where recoverable
    state: str = ""  # the item's typed value: read / unselected / blank / unread ("" for an unlabelled passage)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
