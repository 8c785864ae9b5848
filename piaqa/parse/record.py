"""The typed record of an assessment: every catalogue item found, in its group, with its typed value.

A one-of item's value is exactly one member of its option list (the catalogue's, or the list the document
prints), or `unselected`; a tick item's value is its ticked members; a count is a number and its unit; text
is text. What is printed but cannot be read is `unread`, never guessed. `coverage` says how much of what
the form type prints was found. Pure functions over a parsed Document and the 様式 catalogue.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ..form.catalogue import GROUPS, FormItem
from ..models import Document, Item, Section, Span
from ..schema import CATALOGUE, by_key
from ..text import compact, find_date, is_placeholder, squeeze, strip_html

READ, UNSELECTED, BLANK, UNREAD = "read", "unselected", "blank", "unread"
PDF, TABLE = "pdf_text", "table_text"  # the two text families (parse/document.py)
GROUP_TITLE = re.compile(rf"^\s*({'|'.join(GROUPS)})\s*([0-9０-９]+)")
BOX_MARK = re.compile(r"[\[［〔]\s*(?:<input\b[^>]*>)?\s*[\]］〕]|<input\b")
TICK = re.compile(r"[○〇]|checked")
COUNT = re.compile(r"[(（]\s*([0-9０-９,，]+)\s*[)）]\s*件|^\s*([0-9０-９,，]+)\s*(?:件|人)?\s*$")
BOX_PIECE = re.compile(r"[\[\]［］]")  # a bracket of a check box or a selected option
BRACKETS = re.compile(r"[\[［]([^\[\]［］]*)[\]］]")


@dataclass(frozen=True)
class Value:
    """An item's typed value. `state`: read | unselected (a choice left unmade, no box ticked) | blank
    (nothing written, a dash, a pointer to a list the file lacks) | unread (printed but not readable)."""

    state: str
    text: str = ""  # the selected option, the name, the date, the text (as printed)
    members: tuple[str, ...] = ()  # the ticked boxes of a tick item
    number: int | None = None  # a count (委託の有無's 件, 提供を行っている's 件)
    unit: str = ""


@dataclass(frozen=True)
class RecordItem:
    key: str
    number: str | None  # the item's number path in this form type (Ⅱ-4-委託事項n-⑥)
    label: str  # as printed
    group: str | None  # 委託事項3, システム2, リスク1 … (None outside any group)
    section: str  # the section path, " > " separated
    lines: Span
    page: int | None
    type: str
    value: Value


@dataclass(frozen=True)
class Coverage:
    """found of expected: catalogue items found among those the form type prints; unread: items printed but
    not readable (key and group); unknown_labels: printed labels the catalogue does not know."""

    found: int
    expected: int
    unread: tuple[str, ...] = ()
    unknown_labels: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # keys the form type prints that were not found

    def summary(self) -> str:
        """One line for `piaqa index` and the upload report."""
        parts = [f"{self.found}/{self.expected} form items"]
        if self.unread:
            parts.append(f"{len(self.unread)} unread")
        if self.unknown_labels:
            parts.append(f"{len(self.unknown_labels)} unknown labels")
        return ", ".join(parts)


@dataclass(frozen=True)
class Record:
    source: str
    form: str | None
    items: tuple[RecordItem, ...]
    coverage: Coverage


def _number(text: str) -> int | None:
    digits = re.sub(r"[,，]", "", unicodedata.normalize("NFKC", text))
    return int(digits) if digits.isdigit() else None


def count_in(raw: str) -> int | None:
    """The count a row prints: `(3) 件`, `（１） 件`, or a number alone.

    >>> count_in("[委託する] (3) 件"), count_in("3"), count_in("委託する")
    (3, 3, None)
    """
    m = COUNT.search(strip_html(raw))
    return _number(m.group(1) or m.group(2)) if m else None


def _member(text: str, options: tuple[str, ...]) -> str | None:
    """The option `text` is, compared without width and spaces; None when it is none of them."""
    core = compact(text)
    return next((o for o in options if compact(o) == core), None)


def one_of(entry: FormItem, item: Item, family: str = TABLE) -> Value:
    """The selected member of a one-of item. A selection that is no member of the catalogue's list nor of
    the list the document prints is unread; a member cut short (`50人以上` of `50人以上100人未満`) is taken
    whole only when the whole member is printed in the row. No selection is `unselected` where the row
    shows the choice left unmade (an empty `[]`, or a table row with its options and nothing chosen); in a
    PDF text dump, whose cells drift apart, a row with no bracket at all has its value elsewhere: unread."""
    options = tuple(dict.fromkeys(entry.options + item.options))
    count = count_in(item.raw) if entry.unit else None
    if item.selected:
        found = _member(item.selected, options)
        if not found:
            longer = [o for o in options if compact(o).startswith(compact(item.selected))]
            printed = compact(re.sub(r"[\[\]［］]", "", _without_options(item)))
            found = longer[0] if len(longer) == 1 and compact(longer[0]) in printed else None
        if found:
            return Value(READ, found, number=count, unit=entry.unit)
        return Value(UNREAD, item.selected)
    brackets = [squeeze(b) for b in BRACKETS.findall(_without_options(item))]
    written = [b for b in brackets if b and not re.fullmatch(r"[○〇\s]*", b)]
    if any(not _member(w, options) for w in written):
        return Value(UNREAD, written[0])
    if len(set(written)) == 1:  # [無料] before an option list the reader could not split: the bracket says it
        return Value(READ, _member(written[0], options), number=count, unit=entry.unit)
    if family == PDF and not brackets:
        return Value(UNREAD)
    return Value(UNSELECTED, number=count, unit=entry.unit)


def _without_options(item: Item) -> str:
    text = strip_html(item.raw)
    return text.split("選択肢")[0] if "選択肢" in text else text


def ticks(entry: FormItem, item: Item) -> Value:
    """The ticked boxes of a tick item (as printed, with any detail in brackets), or unselected when boxes
    are printed and none is ticked; a tick that belongs to no box (a PDF grid broken apart) is unread."""
    count = count_in(item.raw) if entry.unit else None
    if item.checked:
        return Value(READ, "、".join(item.checked), members=item.checked, number=count, unit=entry.unit)
    boxes = BOX_MARK.search(item.raw)
    if boxes and not TICK.search(item.raw):
        return Value(UNSELECTED)
    if is_placeholder(item.value) and not TICK.search(item.raw):
        return Value(BLANK)
    return Value(UNREAD, item.value)


def typed(entry: FormItem, item: Item, family: str = TABLE) -> Value:
    """The value of `item` as its catalogue type reads it (`family`: the document's text family)."""
    if entry.type == "one_of":
        return one_of(entry, item, family)
    if entry.type == "ticks":
        return ticks(entry, item)
    text = item.value.strip()
    if not text and family == PDF:
        return Value(UNREAD)  # nothing beside the label: a PDF dump printed the value away from it
    if entry.type == "name" and BOX_PIECE.search(text):
        return Value(UNREAD, text)  # a name holds no check-box pieces: the row took in other cells' boxes
    if is_placeholder(text):
        return Value(BLANK)
    if entry.type == "count":
        number = count_in(text)
        return Value(READ, text, number=number, unit=entry.unit) if number is not None else Value(UNREAD, text)
    if entry.type == "date":
        return Value(READ, find_date(text) or text)
    return Value(READ, text)


def group_of(path: tuple[str, ...]) -> str | None:
    """The group a section path ends in: `委託事項3 データ入力…` → 委託事項3.

    >>> group_of(("Ⅱ", "4. 特定個人情報ファイルの取扱いの委託", "委託事項３ データ入力"))
    '委託事項3'
    """
    for title in reversed(path):
        m = GROUP_TITLE.match(title)
        if m:
            return m.group(1) + unicodedata.normalize("NFKC", m.group(2))
    return None


def _walk(sections: tuple[Section, ...], path: tuple[str, ...] = ()):
    for s in sections:
        if s.history:
            continue
        here = (*path, s.title)
        yield here, s
        yield from _walk(s.children, here)


NAVIGATION_LABELS = ("項目一覧",)  # the table of contents: no item of the 様式
IGNORED_LABELS = (*NAVIGATION_LABELS, "様式")  # nor the form number printed on the cover


def record_of(doc: Document) -> Record:
    """The typed record of a parsed document: one RecordItem per catalogue item found (change-log rows
    are history, not the current record), and its coverage against what the form type prints."""
    items: list[RecordItem] = []
    unknown: dict[str, None] = {}
    for path, section in _walk(doc.sections):
        for it in section.items:
            if it.history:
                continue
            if not it.key:
                if it.label and it.label not in IGNORED_LABELS:
                    unknown[squeeze(it.label)] = None
                continue
            entry = by_key(it.key)
            items.append(RecordItem(it.key, entry.number(doc.form), it.label, group_of(path), " > ".join(path),
                                    it.lines, it.page, entry.type, typed(entry, it, doc.family)))
    expected = [e.key for e in CATALOGUE if not e.absent and doc.form in e.forms]
    found = {r.key for r in items}
    coverage = Coverage(found=len(found & set(expected)), expected=len(expected),
                        unread=tuple(f"{r.key}@{r.group}" if r.group else r.key for r in items if r.value.state == UNREAD),
                        unknown_labels=tuple(unknown), missing=tuple(k for k in expected if k not in found))
    return Record(doc.source, doc.form, tuple(items), coverage)


def typed_item(item: Item, family: str = TABLE) -> Item:
    """An Item with its catalogue-typed value: `selected` is exactly a member of the option list (or None),
    `state` says whether the value was read, left unselected, blank or unread."""
    if not item.key:
        return item
    value = typed(by_key(item.key), item, family)
    selected = value.text if by_key(item.key).choice and value.state == READ else None
    return replace(item, selected=selected, state=value.state)
