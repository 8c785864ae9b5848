"""The facts table: one form item's value in every indexed assessment, side by side, each value cited.

An auditor comparing contractors across cities asks for 委託先名 and gets one row per 委託事項 of every
assessment; a form that leaves the item blank says 記載なし, and one whose form type never prints it
says so (項目なし). Group titles (委託事項 / システム / 提供先 / 移転先) are facts too: "提供先" lists the
recipients every assessment names.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..errors import QueryError
from ..forms import printed_by
from ..models import Chunk
from ..query import analyse
from ..schema import by_key, resolve
from ..text import is_placeholder, squeeze
from .verdicts import read_well
from .extractors import extract
from .rank import group_of

BLANK, NO_ITEM, UNREAD = "記載なし", "項目なし", "読み取れず"  # UNREAD: text is there, no value could be read
GROUPS = ("委託事項", "システム", "提供先", "移転先")
BRACKETS = re.compile(r"[\[\]［］]")
COMMON = ("itaku.contractor_name", "itaku.subcontract", "itaku.handlers", "storage.period", "file.subject_count",
          "system.name", "file.name", "itaku.present", "provide.present", "cover.published", "cover.number")
COLUMNS = ("org", "affair", "form", "published", "group", "value", "doc", "section", "item", "lines", "page")


@dataclass(frozen=True)
class Fact:
    """One cell: the value of the item in one group of one assessment, with the passage it comes from."""

    doc: str
    org: str | None
    affair: str | None
    form: str | None
    published: str | None
    group: str | None  # 委託事項2 …, None outside a group
    value: str  # BLANK or NO_ITEM when there is nothing to quote
    chunk: Chunk | None  # the cited passage; None for NO_ITEM


@dataclass(frozen=True)
class FactsTable:
    item: str  # the label shown (委託先名)
    key: str  # the schema key, or "group:提供先" for group titles
    rows: tuple[Fact, ...]


def common_items() -> list[str]:
    """The labels offered for a facts table (the items auditors compare most), then the group kinds."""
    return [by_key(k).labels[0] for k in COMMON] + list(GROUPS)


def item_key(item: str) -> tuple[str, str]:
    """(label, key) of the item a user names: a group kind, a printed label (再委託の有無), a schema key, or
    the item a question would name (retention period → 保管期間). Raises QueryError when none matches."""
    text = squeeze(item)
    if text in GROUPS:
        return text, f"group:{text}"
    try:
        return by_key(text).labels[0], text
    except KeyError:
        pass
    entry = resolve(text) or next((by_key(k) for k in analyse(text).keys), None)
    if entry is None:
        raise QueryError(f"no form item is named {item!r}: try one of {', '.join(common_items())}")
    return entry.labels[0], entry.key


def _value(chunk: Chunk, label: str) -> str:
    """The value as the typed record reads it (the selected member, the ticked boxes; 記載なし for a blank
    item or a choice left unselected, 読み取れず for one printed but not read), else as an answer would give
    it (the name in a text)."""
    if chunk.state in ("blank", "unselected"):
        return BLANK
    if chunk.state == "unread":
        return UNREAD
    if chunk.state == "read" and (chunk.selected or chunk.checked):
        return chunk.selected or "、".join(chunk.checked)
    raw = squeeze(chunk.value)
    if not (chunk.selected or chunk.checked) and (not raw or is_placeholder(raw)):
        return BLANK
    asks = ("choice" if by_key(chunk.key).choice else "list" if chunk.checked else
            "name" if chunk.key.endswith("name") else "value")  # a name: the one the text names, not debris
    value = extract(chunk, asks, label, set())
    if asks == "choice" and not chunk.selected and value and (len(value) > 20 or "、" in value or "。" in value):
        return UNREAD  # a sentence where an option should be: the selection was not read
    return UNREAD if not value or len(BRACKETS.findall(value)) >= 2 else value  # option debris of a PDF dump


def _group_rows(chunks: list[Chunk], kind: str) -> list[tuple[str | None, str, Chunk]]:
    seen: dict[str, Chunk] = {}
    for c in chunks:
        group = group_of(c)
        if group and group.startswith(kind) and not c.history:
            seen.setdefault(group, c)
    return [(g.split(" ")[0], squeeze(g.split(" ", 1)[1]) if " " in g else BLANK, c) for g, c in seen.items()]


def _item_rows(chunks: list[Chunk], key: str, label: str) -> list[tuple[str | None, str, Chunk]]:
    parts: dict[tuple[str, str], list[Chunk]] = {}
    for c in chunks:
        if c.key == key and not c.history:
            parts.setdefault((c.section, c.item), []).append(c)  # a long item is cut into several passages
    rows = []
    for members in parts.values():
        first = members[0]
        values = [v for v in (_value(c, label) for c in members) if v not in (BLANK, UNREAD)]
        rows.append((group_of(first), "".join(values) or _value(first, label), first))
    return rows


def _number(group: str | None) -> tuple[int, str]:
    m = re.search(r"\d+", group or "")
    return (int(m.group()) if m else 0, group or "")


def facts(index, item: str, history: bool = False) -> FactsTable:
    """The table for `item` over every indexed assessment (superseded versions only with `history`), by
    organisation, 事務 and group. Raises QueryError for an item piaqa does not know."""
    label, key = item_key(item)
    rows: list[Fact] = []
    for source, entry in sorted(index.documents.items(), key=lambda d: (d[1].org or "", d[1].affair or "", d[0])):
        if not history and source in index.superseded_by:
            continue
        chunks = index.chunks_of(source)
        found = (_group_rows(chunks, key.split(":", 1)[1]) if key.startswith("group:") else _item_rows(chunks, key, label))
        if not found:  # 項目なし: the form type never prints it; 読み取れず: the document was not read whole
            missing = (NO_ITEM if not key.startswith("group:") and not printed_by(entry.form, key) else
                       BLANK if read_well(chunks) else UNREAD)
            found = [(None, missing, None)]
        once: dict[tuple, tuple] = {}
        for row in found:  # a value printed again in the same group (a file's name in each section) once
            once.setdefault(row[:2], row)
        found = list(once.values())
        for group, value, chunk in sorted(found, key=lambda r: _number(r[0])):
            rows.append(Fact(source, entry.org, entry.affair, entry.form, entry.published, group, value, chunk))
    return FactsTable(label, key, tuple(rows))


def fact_dict(fact: Fact) -> dict:
    """A row as JSON: COLUMNS, with the cited passage's section, item, lines and page (None without one)."""
    c = fact.chunk
    return {"org": fact.org, "affair": fact.affair, "form": fact.form, "published": fact.published,
            "group": fact.group, "value": fact.value, "doc": fact.doc, "section": c.section if c else None,
            "item": c.item if c else None, "lines": list(c.lines) if c else None, "page": c.page if c else None}


def facts_dict(table: FactsTable) -> dict:
    """The table as JSON: {item, key, rows: [fact_dict…]} (`piaqa facts --json`, GET /facts, the app's export)."""
    return {"item": table.item, "key": table.key, "rows": [fact_dict(f) for f in table.rows]}


def facts_csv(table: FactsTable) -> str:
    """The table as CSV (UTF-8 text; a header row of COLUMNS)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for fact in table.rows:
        row = fact_dict(fact)
        row["lines"] = "-".join(map(str, row["lines"])) if row["lines"] else ""
        writer.writerow(row)
    return out.getvalue()
