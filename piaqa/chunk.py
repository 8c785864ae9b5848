"""Chunks: one per form item (or per part of a long item), each carrying its context.

The search text starts with the organisation, 事務, form type, section path and label, so that
"委託先名" of 大分市 住基 and of 千葉市 国年 are different chunks that say so. Option lists stay out of
the search text; the selected value and ticked boxes stay in. Change-log chunks are kept, marked.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .models import Chunk, Document, Item, Section
from .parse.fields import split_options
from .schema import by_key
from .text import is_placeholder, squeeze

SENTENCE_END = re.compile(r"(?<=[。．])")


def section_path(path: tuple[str, ...]) -> str:
    return " > ".join(path)


def context(doc: Document, path: tuple[str, ...], item: Item) -> str:
    """The line every chunk's search text starts with."""
    parts = [doc.org or "", doc.affair or "", doc.form or "", section_path(path), item.label]
    if item.history:
        parts.append("変更箇所 変更前 変更後" + (f" {item.change.date}" if item.change and item.change.date else ""))
    if item.key:
        parts.append(by_key(item.key).labels[0])
    return " | ".join(p for p in parts if p)


def facts(item: Item) -> str:
    out = []
    if item.selected:
        out.append(f"[{item.selected}]")
    if item.checked:
        out.append("選択: " + "、".join(item.checked))
    if item.change and item.change.why and item.change.why not in item.value:
        out.append(item.change.why)  # a change row's 提出時期に係る説明 says what kind of change it was
    return " ".join(out)


def split_long(text: str, limit: int) -> list[str]:
    """Cut a long text at sentence ends (。) into parts of at most about `limit` characters.

    >>> split_long("あ。い。う。", 4)
    ['あ。い。', 'う。']
    """
    parts, cur = [], ""
    for sentence in SENTENCE_END.split(text):
        if cur and len(cur) + len(sentence) > limit:
            parts.append(cur)
            cur = ""
        cur += sentence
        while len(cur) > limit * 2:  # a run with no 。 at all
            parts.append(cur[:limit])
            cur = cur[limit:]
    if cur.strip():
        parts.append(cur)
    return parts


def row_numbers(item: Item, source: tuple[str, ...]) -> list[int]:
    """The source line number of each raw row of an item (rows skip blank lines)."""
    numbers, n = [], item.lines[0]
    for row in item.raw.split("\n"):
        while source and n < item.lines[1] and source[n - 1] != row:
            n += 1
        numbers.append(n)
        n = min(n + 1, item.lines[1])
    return numbers


def item_parts(item: Item, limit: int, source: tuple[str, ...] = ()) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(raw text, clean text, line span) parts of an item, each under about `limit` characters."""
    if len(item.value) <= limit:
        yield item.raw, item.value, item.lines
        return
    rows = item.raw.split("\n")
    numbers = row_numbers(item, source) if source else [item.lines[0] + i for i in range(len(rows))]
    group: list[str] = []
    start = prev = item.lines[0]
    size = 0
    for row, n in zip(rows, numbers):
        clean = split_options(row)[0]
        if len(clean) > limit:
            if group:
                yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, prev)
                group, size = [], 0
            for piece in split_long(row, limit):
                yield piece, split_options(piece)[0], (n, n)
            start = prev = n
            continue
        if group and (size + len(clean) > limit or (n > prev + 1 and size >= limit // 3)):
            # a blank line in a PDF dump often separates cells that the dump interleaved
            yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, prev)
            group, size = [], 0
        if not group:
            start = n
        group.append(row)
        size += len(clean)
        prev = n
    if group:
        yield "\n".join(group), squeeze(" ".join(split_options(r)[0] for r in group)), (start, item.lines[1])


HEADING_REACH = 3  # a heading this close above a section's first item is cited with it


def walk_items(sections: tuple[Section, ...], parents: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Item, Section]]:
    for section in sections:
        path = (*parents, section.title)
        for item in section.items:
            yield path, item, section
        yield from walk_items(section.children, path)


def with_heading(doc: Document, section: Section, item: Item) -> Item:
    """The section's first item, its span widened to the heading line(s) just above it."""
    start = section.lines[0]
    if not doc.lines or item.lines[0] <= start:
        return item
    heading = [line for line in doc.lines[start - 1:item.lines[0] - 1] if line.strip(" \t\u3000")]
    if len(heading) > HEADING_REACH or item.lines[0] - start > 3 * HEADING_REACH:
        return item
    return replace(item, raw="\n".join([*heading, item.raw]), lines=(start, item.lines[1]))


def chunk_document(doc: Document, limit: int = 800) -> list[Chunk]:
    """All chunks of a document, in source order."""
    chunks: list[Chunk] = []
    headed: set[int] = set()
    for path, item, section in walk_items(doc.sections):
        if id(section) not in headed and (item.value.strip() or facts(item) or not any(
                it.value.strip() or facts(it) for it in section.items)):
            # the section's first item with content (or its first, when all are blank) is cited with its heading
            headed.add(id(section))
            item = with_heading(doc, section, item)
        head = context(doc, path, item)
        for raw, clean, lines in item_parts(item, limit, doc.lines):
            if not clean.strip() and not facts(item) and not item.label:
                continue  # a labelled item left blank is kept: "the form leaves it blank" is an answer
            page = doc.pages[lines[0] - 1] if doc.pages else None
            if doc.source_lines:  # a reflowed text: cite the lines of the file as it is
                lines = (doc.source_lines[lines[0] - 1], doc.source_lines[lines[1] - 1])
            chunks.append(Chunk(
                id=f"{doc.source}:{lines[0]}-{lines[1]}:{len(chunks)}", doc=doc.source, org=doc.org,
                affair=doc.affair, form=doc.form, section=section_path(path), item=item.label, key=item.key,
                text=raw, search_text=f"{head}\n{facts(item)}\n{clean}".replace("\n\n", "\n"), lines=lines,
                page=page, history=item.history, selected=item.selected, checked=item.checked, value=clean,
                family=doc.family, change=item.change, state=item.state))
    return chunks


def shown_blank(chunk: Chunk) -> bool:
    """The passage shows its item left blank, so "left blank" is an answer: a placeholder printed on the
    row (—, -) in either text family; in a table dump also a choice left unselected or an empty row. A PDF
    dump's cells drift apart, so there an empty row or a bare option list says only that the value is
    printed elsewhere."""
    return chunk.state == "blank" if chunk.family == "pdf_text" else is_empty(chunk)


def is_empty(chunk: Chunk) -> bool:
    """The passage says nothing: its item's typed value is blank or a choice left unselected, or unread with
    nothing beside the label (a PDF dump printed it elsewhere); for a passage no catalogue item types (an
    unlabelled row), no selection, no tick and a placeholder value (—, 提供先一覧に記載). One rule for the
    store's blank flag and the answer layer."""
    if chunk.state in ("blank", "unselected"):
        return True
    return chunk.state in ("", "unread") and not (chunk.selected or chunk.checked) and is_placeholder(chunk.value)
