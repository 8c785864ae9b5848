"""Verdicts certain before any ranking: "not stated" from the 様式 catalogue and the document alone (a fact
no form prints, an item the form type lacks, a document read whole without the item, no change log), and an
answer that only repeats the question."""
from __future__ import annotations

import re

from ..forms import printed_by
from ..models import Chunk, Hit
from ..query import Query
from ..schema import FormItem, label_core
from ..text import compact, squeeze
from .rank import log_only
from .result import NOT_STATED, Answer, cite, label_of
from .wording import language, not_stated, say


def value_of(chunk: Chunk) -> str:
    if chunk.selected:
        return chunk.selected
    if chunk.checked:
        return "、".join(chunk.checked)
    return chunk.value.strip()


def related_items(index, entry: FormItem, hits: list[Hit], doc: str) -> list[Hit]:
    """The items that say what the form does say about an absent fact, from the best matching group."""
    found = [h for h in hits if h.chunk.key in entry.related and not h.chunk.history]
    section = found[0].chunk.section if found else None
    pool = [c for c in index.chunks_of(doc) if c.key in entry.related and not c.history
            and (section is None or c.section == section)]
    ranked = sorted(pool, key=lambda c: entry.related.index(c.key))
    return [*(Hit(c, 0.0) for c in ranked), *found]


WELL_READ_ITEMS = 30  # distinct form items (schema keys) a document read whole shows; the forms have ~100


def read_well(chunks: list[Chunk]) -> bool:
    """Whether the reader recovered the form of a document: only then does a missing item mean the
    document has none (a PDF read badly shows a dozen items, and its 'no such item' would be false)."""
    return len({c.key for c in chunks if c.key and not c.history}) >= WELL_READ_ITEMS


def prints(chunks: list[Chunk], entry: FormItem) -> bool:
    """Whether a document prints one of the item's labels as a line of its own (a heading inside free text,
    ＜技術的対策＞): then "the form type has no such item" is no answer. A label's words inside a sentence
    (保管期間を過ぎた…) are no item."""
    labels = {label_core(label) for label in entry.labels}
    return any(label_core(HEADING_MARKS.sub("", line)) in labels for c in chunks for line in c.text.splitlines())


HEADING_MARKS = re.compile(r"[＜＞<>【】〈〉\[\]［］]")


def schema_verdict(index, query: Query, entry: FormItem | None, asks: str, doc: str, hits: list[Hit]) -> Answer | None:
    """'Not stated' that is certain from the schema and the document alone, before any ranking: a fact
    no form item holds, no 変更箇所 for a question about changes, no such item in this document."""
    question = query.text
    if entry and entry.absent:
        related = related_items(index, entry, hits, doc)
        said = "; ".join(dict.fromkeys(f"{h.chunk.item}: {squeeze(value_of(h.chunk).replace(chr(10), ' '))[:60]}"
                                       for h in related[:3]))
        text = not_stated(question, "no_item", label=label_of(entry)) + (
            (" " if language(question) == "en" else "") + say(question, "it_says", said=said) if said else "")
        return Answer(question, NOT_STATED, text, cite(related, hits), label_of(entry))
    chunks = index.chunks_of(doc)
    form = chunks[0].form if chunks else None
    if entry and not printed_by(form, entry.key) and not any(c.key == entry.key for c in chunks) and not prints(
            chunks, entry):
        return Answer(question, NOT_STATED, not_stated(question, "form_has_no_item", form=form, label=label_of(entry)),
                      cite([], hits), label_of(entry))
    if asks == "change" and not any(c.history for c in chunks):
        return Answer(question, NOT_STATED, not_stated(question, "no_changelog"), cite([], hits), "変更箇所")
    if entry and (entry.key.startswith("cover.") or (asks != "change" and not log_only(chunks) and read_well(chunks))):
        labels = {label_core(label) for label in entry.labels}
        if not any(c.key == entry.key or label_core(c.item) in labels for c in chunks if not c.history) and not prints(
                chunks, entry):
            return Answer(question, NOT_STATED, not_stated(question, "document_has_no_item", label=label_of(entry)),
                          cite([], hits), label_of(entry))
    return None


RESTATED_MIN = 4  # characters of a value long enough that finding it in the question is no coincidence


def restates(value: str, question: str) -> bool:
    """Whether a value is already written in the question (an answer that only repeats the question): each of
    its words, but a tail of one or two characters with no digit (ほか, 等), is in it.

    >>> restates("健康保険課長", "what is the name of the current 健康保険課長?"), restates("富士通株式会社", "委託先は？")
    (True, False)
    >>> restates("市民課長 ほか", "所属長の市民課長の名前は？")
    True
    """
    words = [w for w in map(compact, re.split(r"[\s、,・]+", value)) if len(w) > 2 or re.search(r"\d", w)]
    flat = compact(question)
    return sum(map(len, words)) >= RESTATED_MIN and all(w in flat for w in words)
