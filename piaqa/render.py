"""Turn results into what people read: JSON for machines, plain text for terminals."""
from __future__ import annotations

import dataclasses
import json

from .models import Document, Item, Section
from .parse.record import Record, RecordItem


def item_dict(item: Item) -> dict:
    out = dataclasses.asdict(item)
    out["lines"] = list(item.lines)
    return out


def section_dict(section: Section) -> dict:
    return {"title": section.title, "level": section.level, "lines": list(section.lines),
            "history": section.history, "items": [item_dict(i) for i in section.items],
            "children": [section_dict(c) for c in section.children]}


def document_dict(doc: Document, record: Record | None = None) -> dict:
    """The parse result as plain data (the raw lines are left out: they are the source file); with its
    typed record, `record` (one entry per catalogue item found: key, number path, group, lines, page, typed
    value) and `coverage` ({found, expected, unread, unknown_labels, missing})."""
    out = {"source": doc.source, "sha256": doc.sha256, "family": doc.family, "org": doc.org,
           "affair": doc.affair, "form": doc.form, "number": doc.number, "title": doc.title,
           "published": doc.published}
    if record is not None:
        out["coverage"] = dataclasses.asdict(record.coverage)
        out["record"] = [record_item_dict(r) for r in record.items]
    out["sections"] = [section_dict(s) for s in doc.sections]
    return out


def record_item_dict(item: RecordItem) -> dict:
    """One typed item: the value's fields that apply to its type, and nothing else."""
    value = {k: v for k, v in dataclasses.asdict(item.value).items() if v not in ("", (), [], None)}
    return {**{k: v for k, v in dataclasses.asdict(item).items() if k != "value"}, "value": value}


def to_json(data, indent: int | None = 1) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent)


def document_text(doc: Document, values: bool = True) -> str:
    """An outline of the form tree for a terminal."""
    out = [f"{doc.source}: {doc.org or '?'} / {doc.affair or '?'} / {doc.form or '?'}"
           f" (評価書番号 {doc.number or '-'}, 公表日 {doc.published or '-'})"]

    def walk(section: Section, depth: int) -> None:
        out.append(f"{'  ' * depth}{section.title}  [{section.lines[0]}-{section.lines[1]}]")
        if values:
            for item in section.items:
                shown = item.selected or ", ".join(item.checked) or item.value.replace("\n", " ")
                out.append(f"{'  ' * (depth + 1)}- {item.label or '(text)'}: {shown[:80]}  [{item.lines[0]}-{item.lines[1]}]")
        for child in section.children:
            walk(child, depth + 1)

    for s in doc.sections:
        walk(s, 0)
    return "\n".join(out)


def has_lines(chunk) -> bool:
    """Line numbers mean something to a reader of a text file; a PDF's reader follows its pages."""
    return not chunk.doc.lower().endswith(".pdf")


def location(chunk, short: bool = False) -> str:
    """Where a passage is, for a reader: `p. 12` for a PDF; `lines 819–823` (and its page, when the
    text has page breaks) for a text file. `short` gives the terminal form (`L819-823 p.12`)."""
    a, b = chunk.lines
    span = (f"L{a}" + (f"-{b}" if b != a else "")) if short else (f"lines {a}–{b}" if b != a else f"line {a}")
    page = f"p.{chunk.page}" if short else f"p. {chunk.page}"
    if not has_lines(chunk):
        return page if chunk.page else ""
    return f"{span} {page}" if chunk.page else span


def hit_dict(hit) -> dict:
    """A passage as the evaluation contract has it."""
    c = hit.chunk
    return {"doc": c.doc, "org": c.org, "affair": c.affair, "form": c.form, "section": c.section, "item": c.item,
            "text": c.text, "lines": list(c.lines) if has_lines(c) else None, "page": c.page, "score": round(hit.score, 6),
            "history": c.history, "key": c.key, "selected": c.selected}


def search_dict(question: str, hits) -> dict:
    """A search as `piaqa search --json` and `POST /search` give it: {question, hits: [passage…]}."""
    return {"question": question, "hits": [hit_dict(h) for h in hits]}


def hits_text(question: str, hits) -> str:
    """Search results for a terminal: where each passage is, then the passage."""
    from .text import strip_html

    out = [f"Q: {question}"]
    if not hits:
        out.append("  (no passage found)")
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        where = f"{c.doc} {location(c, short=True)}".rstrip()
        flag = " [変更箇所/history]" if c.history else ""
        out.append(f"[{n}] {c.org} {c.affair} {c.form} | {c.section} > {c.item or '(text)'}{flag}\n"
                   f"    {where}  score {hit.score:.4f}")
        body = strip_html(c.text)
        out.append("    " + (body[:300] + ("…" if len(body) > 300 else "")))
    return "\n".join(out)


def answer_dict(ans) -> dict:
    """An answer as the evaluation contract has it: {question, status, answer, citations: [passage…]}."""
    out = {"question": ans.question, "status": ans.status, "answer": ans.answer, "looked_for": ans.looked_for,
           "generated": ans.generated, "citations": [hit_dict(h) for h in ans.citations]}
    if ans.version:
        out["version"] = ans.version
    if ans.values:  # one value per group, each with the passage it is from
        out["values"] = [{"group": g, "value": v, "citation": hit_dict(h)} for g, v, h in ans.values]
    if ans.parts:
        out["parts"] = [answer_dict(p) for p in ans.parts]
    return out


def answer_text(ans) -> str:
    """An answer for a terminal, in the question's language: the answer, its status, then each citation
    with where it is."""
    from .answer.wording import say
    from .text import strip_html

    q = ans.question
    label = "" if ans.status == "answered" else f" [{say(q, 'status_' + ans.status)}]"
    out = [f"Q: {q}", f"A: {ans.answer}{label}"]
    if ans.values:  # one line per group, with where it is
        out[-1] = f"A:{label}"
        out += [f"   - {g}: {v}  ({h.chunk.doc} {location(h.chunk, short=True)})".rstrip()
                for g, v, h in ans.values]
    if ans.looked_for:
        out.append(f"   ({say(q, 'looked_for', item=ans.looked_for)})")
    if ans.version:
        out.append(f"   ({say(q, 'version', version=ans.version)})")
    for n, hit in enumerate(ans.citations, 1):
        c = hit.chunk
        flag = " [変更箇所/history]" if c.history else ""
        out.append(f"[{n}] {c.section} > {c.item or '(text)'}{flag}\n    {c.org} {c.affair} {c.form}, {c.doc} "
                   f"{location(c, short=True)}".rstrip())
        body = strip_html(c.text)
        out.append("    " + (body[:240] + ("…" if len(body) > 240 else "")))
    return "\n".join(out)
