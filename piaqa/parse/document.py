"""Read one assessment's lines into its form tree: cover, Ⅰ–Ⅵ, 別添, sub-sections, groups, items.

A single pass over the raw lines with a small amount of state. The two families differ only in
how a label is recognised (a leading ASCII space in PDF dumps, the first tab cell in table dumps
and in the rows pdfform reads from a PDF; a line of its own in plain extracted text) and in how
continuation lines attach to an item (items.py). A text whose line breaks were lost gets them
back first (reflow.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..ingest import Source, read_source
from ..models import Document, Item, Section
from ..text import is_blank, squeeze, strip_html
from . import attribution, changelog, meta
from .fields import option_vocabulary
from .items import PDF, TABLE, Draft, cover_items, finish, named_group, split_row, wraps_label
from .markers import Heading, TOC, group_heading, is_placeholder, section_heading, split_pdf_label, subsection_heading
from .reflow import is_reflowed, relines

NO_HEADING = "(見出しなし)"
COVER = "表紙"
ANNEX_GROUP = re.compile(r"^[\s\u3000]*[<＜][^<>＜＞/]{1,20}[>＞][\s\u3000]*$")


@dataclass
class _Node:
    heading: Heading
    start: int
    end: int
    drafts: list[Draft] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # ready-made (change-log rows, cover)
    awaiting_title: bool = False


def detect_family(lines: list[str]) -> str:
    """Tab/HTML table dump, or PDF text dump (labels marked by one leading ASCII space). Plain lines
    with neither mark (text extracted without layout) are read as one-cell table rows.

    >>> detect_family(["Ⅰ 関連情報", "①事務の名称", "児童手当の支給に関する事務"]), detect_family([" ①事務の名称 x", "y"])
    ('table_text', 'pdf_text')
    """
    content = [line for line in lines if not is_blank(line)]
    tabbed = sum("\t" in line.strip("\n") or "<p>" in line for line in content)
    if content and tabbed / len(content) > 0.05:
        return TABLE
    marked = sum(bool(split_pdf_label(line)) for line in content)
    if not content or marked / len(content) > 0.02:
        return PDF
    first = next((h for h in map(section_heading, content) if h), None)
    return PDF if first is None or first.changelog else TABLE  # a change log alone keeps the dump's reader


def page_numbers(lines: list[str]) -> tuple[int, ...]:
    """Page of each line of a PDF dump: a page break is a run of three (or more) empty lines."""
    pages, page, blanks = [], 1, 0
    for line in lines:
        if is_blank(line):
            blanks += 1
        else:
            if blanks >= 3 and pages:
                page += 1
            blanks = 0
        pages.append(page)
    return tuple(pages)


def toc_span(lines: list[str]) -> tuple[int, int] | None:
    """0-based [start, end) of the 項目一覧 (table of contents): its heading and its heading lines."""
    for i, line in enumerate(lines):
        if TOC.match(line):
            seen, j = set(), i + 1
            while j < len(lines):
                h = section_heading(lines[j]) if not is_blank(lines[j]) else None
                if not is_blank(lines[j]) and (h is None or h.title in seen):
                    break
                if h:
                    seen.add(h.title)
                j += 1
            return i, j
    return None


def _freeze(node: _Node, parents: tuple[str, ...], family: str, vocab, pages, history=False) -> Section:
    draft_path = (*parents, node.heading.title)
    history = history or node.heading.changelog
    items = [*node.items, *(finish(d, draft_path, family, vocab, pages) for d in node.drafts)]
    items.sort(key=lambda it: it.lines[0])
    title = named_group(node.heading.title, items)
    path = (*parents, title)
    children = tuple(_freeze(c, path, family, vocab, pages, history) for c in node.children)
    return Section(title=title, level=node.heading.level, lines=(node.start, node.end),
                   items=tuple(items), children=children, history=history)


class _Builder:
    def __init__(self, family: str, pages):
        self.family, self.pages = family, pages
        self.roots: list[_Node] = []
        self.stack: list[_Node] = []  # open nodes, level 1..3
        self.draft: Draft | None = None

    def open(self, heading: Heading, n: int) -> _Node:
        if heading.level > 1 and not self.stack:
            self.open(Heading(1, NO_HEADING), n)
        node = _Node(heading, n, n)
        while self.stack and self.stack[-1].heading.level >= heading.level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.roots).append(node)
        self.stack.append(node)
        self.draft = None
        return node

    def touch(self, n: int) -> None:
        for node in self.stack:
            node.end = max(node.end, n)

    def add(self, draft: Draft) -> None:
        if not self.stack:
            self.open(Heading(1, NO_HEADING), draft.rows[0][0])
        self.stack[-1].drafts.append(draft)
        self.draft = draft

    def line(self, n: int, line: str) -> None:
        if is_blank(line):
            if self.draft:
                self.draft.gap = True
            return
        first = next((c for c in line.split("\t") if c.strip()), "")
        if self.stack and self.stack[0].heading.annex and subsection_heading(first) and not self.stack[0].heading.changelog:
            self.stack.clear()  # a form sub-section after an annex: the annex has ended, its section heading is late
            self.draft = None
        if self.stack and self.stack[0].heading.annex and not self.stack[0].heading.changelog and ANNEX_GROUP.match(line):
            self.open(Heading(2, squeeze(line)), n)  # <宛名>, ＜免除情報＞: the groups of a 記録項目 annex
            return
        if self.stack and self.stack[0].heading.annex:
            self.touch(n)
            if self.draft and self.draft.annex:
                self.draft.rows.append((n, line))
            else:
                self.add(Draft("", [(n, line)], annex=True))
            return
        heading = subsection_heading(first) or group_heading(line if self.family == TABLE else first)
        if heading:
            if heading.level == 3 and heading.rest:
                heading = Heading(3, f"{heading.title} {heading.rest}")
            node = self.open(heading, n)
            node.awaiting_title = heading.level == 3 and self.family == TABLE and " " not in heading.title
            self.touch(n)
            return
        if is_placeholder(line):
            self.draft = None
            return
        self.touch(n)
        found = split_row(line, self.family)
        if found:
            self.add(Draft(found[0], [(n, line)], inline=bool(found[1])))
            return
        top = self.stack[-1] if self.stack else None
        if top and top.awaiting_title and not top.drafts:
            top.heading = Heading(3, f"{top.heading.title} {squeeze(strip_html(line.replace(chr(9), ' ')))}")
            top.awaiting_title = False
            return
        if self.draft and self.family == PDF and wraps_label(self.draft, line):
            self.draft.label += line.strip()
            self.draft.label_rows += 1
            self.draft.rows.append((n, line))
        elif self.draft and (self.family == TABLE or not (self.draft.inline and self.draft.gap)):
            self.draft.rows.append((n, line))
        else:
            self.add(Draft("", [(n, line)]))


def parse_source(src: Source) -> Document:
    lines = src.text.split("\n")
    reflowed = is_reflowed(lines)
    source_lines: tuple[int, ...] = ()
    if reflowed:  # line breaks lost: the form's printed labels and headings say where lines were
        numbered = relines(src.text)
        lines, source_lines = [line for _, line in numbered], tuple(n for n, _ in numbered)
    family = detect_family(lines)
    pages = () if reflowed else src.pages or (page_numbers(lines) if family == PDF else ())
    page_of = (lambda n: pages[n - 1]) if pages else (lambda n: None)
    vocab = option_vocabulary(lines)
    toc = toc_span(lines)
    builder = _Builder(family, pages)
    body_start = toc[1] if toc else 0
    first_heading = next((i for i in range(body_start, len(lines)) if section_heading(lines[i])), len(lines))
    cover_end = toc[0] if toc else first_heading
    cover = _Node(Heading(1, COVER), 1, max(body_start, cover_end, 1))
    cover.items = cover_items([(i + 1, lines[i]) for i in range(cover_end)], pages)
    if not toc and (family == TABLE or first_heading == len(lines)) and any(it.key for it in cover.items):
        body_start = cover_end  # no 項目一覧: the cover ends where the first section begins
    if toc:  # the 項目一覧 says which sections the form has: part of what the document discloses
        rows = [(i + 1, lines[i]) for i in range(toc[0], toc[1]) if not is_blank(lines[i])]
        cover.items.append(Item(label="項目一覧", key=None, value="\n".join(squeeze(s) for _, s in rows[1:]),
                                raw="\n".join(s for _, s in rows), lines=(rows[0][0], rows[-1][0]),
                                page=pages[rows[0][0] - 1] if pages else None))
    log_node: _Node | None = None
    log_rows: list[tuple[int, str]] = []
    for i in range(body_start, len(lines)):
        n, line = i + 1, lines[i]
        if log_node is not None:
            log_rows.append((n, line))
            log_node.end = n
            continue
        heading = section_heading(line)
        if heading:
            orphan = builder.roots[-1] if builder.roots and builder.roots[-1].heading.title == NO_HEADING else None
            node = builder.open(heading, n)
            first_body = len(builder.roots) == 2 and heading.title.startswith("Ⅰ")
            after_annex = len(builder.roots) > 2 and builder.roots[-3].heading.annex
            if orphan and not heading.annex and (first_body or after_annex):
                # PDF dumps print a heading after its first content: the content without a heading
                # before the form's first section, or after an annex, belongs to the heading that follows
                builder.roots.remove(orphan)
                node.start, node.drafts, node.children = orphan.start, orphan.drafts + node.drafts, orphan.children
            if heading.changelog:
                log_node = node
            continue
        builder.line(n, line)
    if log_node is not None:
        rows = changelog.table_rows if family == TABLE else changelog.pdf_rows
        log_node.items = rows(log_rows, page_of)
    cover_read = sum(1 for it in cover.items if it.key and it.value) >= 2 and any(
        "特定個人情報保護評価書" in line for line in lines[:meta.COVER_LINES])  # a cover alone (an opening) is one too
    if not cover_read and not any(r.heading.title not in (NO_HEADING, COVER) for r in builder.roots):
        raise InputError(src.name, "no assessment structure found (no Ⅰ–Ⅵ section, 別添 or 変更箇所 heading); "
                                   "is this a 特定個人情報保護評価書?")
    roots = [cover, *builder.roots] if cover.items else builder.roots
    sections = tuple(_freeze(r, (), family, vocab, pages) for r in roots)
    if log_node is not None and family == PDF:  # the layout does not say which group a value is in: the log does
        sections = attribution.reconcile(sections, attribution.attested(log_node.items))
    changelog_only = not any(s.title.startswith(("Ⅰ", "Ⅱ", "Ⅲ")) for s in sections) and log_node is not None
    affair_item = next((it.value for s in walk(sections) for it in s.items if it.key == "jimu.name" and it.value), None)
    m = meta.extract(lines, changelog_only, affair_item)
    return Document(source=src.name, sha256=src.sha256, family=family, org=m.org, affair=m.affair, form=m.form,
                    number=m.number, title=m.title, published=m.published, sections=sections,
                    lines=tuple(lines), pages=pages, source_lines=source_lines)


def walk(sections: tuple[Section, ...]):
    """Every section of a tree, depth first."""
    for s in sections:
        yield s
        yield from walk(s.children)


def parse_file(path: str | Path) -> Document:
    """Read and parse one file. Raises InputError for anything that is not a readable assessment."""
    return parse_source(read_source(Path(path)))
