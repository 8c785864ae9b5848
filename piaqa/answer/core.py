"""Cited answers: the short answer from the form, an honest "not stated", or "no match".

Status:
- answered:   the form says it; the answer is the item's value / selected option / best sentence.
- not_stated: the documents asked about were found but do not contain the fact (the form has no
              such item, the item is empty or unselected, or the detail asked for is not in it).
- no_match:   nothing in the index is about what was asked (e.g. an organisation not indexed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..chunk import shown_blank
from ..models import Chunk, Hit
from ..parse.record import NAVIGATION_LABELS
from ..orgs import unknown_organisation
from ..query import Query, analyse
from ..retrieve import check_k, checked_question
from ..forms import printed_by
from ..schema import FormItem, by_key, label_core
from ..text import compact, has_content, squeeze
from ..tokenize import tokens
from .asks import asked_type, offered_options
from .extract import find_contact
from .extractors import empty, extract, plain
from .nearby import annex_count, counted_group, detail_of, group_members, every_value, printed_option, stated_elsewhere, value_beside
from .rank import POOL, Scored, group_of, log_only, rank
from .scope import filter_conflict
from .wording import language, not_stated, say, word

ANSWERED, NOT_STATED, NO_MATCH = "answered", "not_stated", "no_match"
MAX_CITATIONS = 5


@dataclass(frozen=True)
class Answer:
    question: str
    status: str
    answer: str
    citations: tuple[Hit, ...] = ()
    looked_for: str | None = None  # the form item that was looked for
    parts: tuple["Answer", ...] = ()  # one per organisation, for questions about several
    generated: bool = False  # written by a chat model from the cited passages
    version: str | None = None  # which version of its assessment the answer is from, when several are indexed
    values: tuple[tuple[str, str, Hit], ...] = ()  # (group, value, its passage) of an item several groups fill in


MAX_DOCUMENTS = 5  # documents answered side by side when a question names none


def _value(chunk: Chunk) -> str:
    if chunk.selected:
        return chunk.selected
    if chunk.checked:
        return "、".join(chunk.checked)
    return chunk.value.strip()


def _related(index, entry: FormItem, hits: list[Hit], doc: str) -> list[Hit]:
    """The items that say what the form does say about an absent fact, from the best matching group."""
    found = [h for h in hits if h.chunk.key in entry.related and not h.chunk.history]
    section = found[0].chunk.section if found else None
    pool = [c for c in index.chunks_of(doc) if c.key in entry.related and not c.history
            and (section is None or c.section == section)]
    ranked = sorted(pool, key=lambda c: entry.related.index(c.key))
    return [*(Hit(c, 0.0) for c in ranked), *found]


def _cite(first: list[Hit], rest: list[Hit]) -> tuple[Hit, ...]:
    out: list[Hit] = []
    for hit in [*first, *rest]:
        if all(hit.chunk.id != h.chunk.id for h in out):
            out.append(hit)
    return tuple(out[:MAX_CITATIONS])


def _label(entry: FormItem) -> str:
    return entry.labels[0]


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
        related = _related(index, entry, hits, doc)
        said = "; ".join(dict.fromkeys(f"{h.chunk.item}: {squeeze(_value(h.chunk).replace(chr(10), ' '))[:60]}"
                                       for h in related[:3]))
        text = not_stated(question, "no_item", label=_label(entry)) + (
            (" " if language(question) == "en" else "") + say(question, "it_says", said=said) if said else "")
        return Answer(question, NOT_STATED, text, _cite(related, hits), _label(entry))
    chunks = index.chunks_of(doc)
    form = chunks[0].form if chunks else None
    if entry and not printed_by(form, entry.key) and not any(c.key == entry.key for c in chunks) and not prints(
            chunks, entry):
        return Answer(question, NOT_STATED, not_stated(question, "form_has_no_item", form=form, label=_label(entry)),
                      _cite([], hits), _label(entry))
    if asks == "change" and not any(c.history for c in chunks):
        return Answer(question, NOT_STATED, not_stated(question, "no_changelog"), _cite([], hits), "変更箇所")
    if entry and (entry.key.startswith("cover.") or (asks != "change" and not log_only(chunks) and read_well(chunks))):
        labels = {label_core(label) for label in entry.labels}
        if not any(c.key == entry.key or label_core(c.item) in labels for c in chunks if not c.history) and not prints(
                chunks, entry):
            return Answer(question, NOT_STATED, not_stated(question, "document_has_no_item", label=_label(entry)),
                          _cite([], hits), _label(entry))
    return None


def from_blank(index, query: Query, best: Scored, asks: str, asked: set[str], hits: list[Hit],
               looked_for: str | None) -> Answer:
    """The best item is blank in a table dump: the fact stated beside it (a reason, a quantity), or
    'not stated' naming the blank item."""
    chunk = best.candidate.chunk
    found = stated_elsewhere(index, query.text, chunk)
    if found:
        value = extract(found, asks, query.text, asked) or found.value
        return Answer(query.text, ANSWERED, value, _cite([Hit(found, 0.0), Hit(chunk, 0.0)], hits), looked_for)
    choice = by_key(chunk.key).choice if chunk.key else False
    return Answer(query.text, NOT_STATED, not_stated(query.text, "not_selected" if choice else "left_blank",
                                                     item=chunk.item or looked_for or ""),
                  _cite([Hit(chunk, 0.0)], hits), looked_for)


def from_offered(index, query: Query, ranked: list[Scored], offered: tuple[str, ...], hits: list[Hit],
                 looked_for: str | None) -> Answer:
    """The question lists the options and the best item holds none of them: the option printed near it
    (PDF dumps), else the best item that holds one, else 'not stated' (the form marks none of them)."""
    chunk = ranked[0].candidate.chunk
    near = printed_option(index, chunk, offered) if chunk.family == "pdf_text" else None
    if near:
        return _from(near[0], near[1], chunk, hits, query.text, looked_for)
    other = next((s for s in ranked if s.extracted), None)
    if other:
        return _from(other.candidate.chunk, other.extracted, chunk, hits, query.text, looked_for)
    return Answer(query.text, NOT_STATED, not_stated(query.text, "none_marked",
                                                     options="、".join(f"「{o}」" for o in offered)),
                  _cite([Hit(chunk, 0.0)], hits), looked_for)


def _from(chunk: Chunk, value: str, cited: Chunk, hits: list[Hit], question: str, looked_for: str | None) -> Answer:
    """An answer taken from `chunk`, cited first, with the item the ranking chose (`cited`) after it."""
    return Answer(question, ANSWERED, value, _cite([Hit(chunk, 0.0), Hit(cited, 0.0)], hits), looked_for)


def answer_document(index, query: Query, hits: list[Hit]) -> Answer:
    """The answer from one document's passages (hits all from the same organisation): certain verdicts
    from the schema, then one ranking of candidates, then the typed value of the winner."""
    question, doc = query.text, hits[0].chunk.doc
    entry = by_key(query.keys[0]) if query.keys else None  # an absent fact decides only when it is meant most
    asks = asked_type(question, query.history)
    if entry and entry.choice and asks in ("list", "value"):
        asks = "choice"  # the item asked about is a [選択肢] item: its answer is the selected option
    verdict = schema_verdict(index, query, entry, asks, doc, hits)
    if verdict:
        return verdict
    ranked = rank(index, doc, hits, query, asks)
    if not ranked:
        return Answer(question, NO_MATCH, say(question, "no_passage"))
    best, asked = ranked[0], set(tokens(query.topic))
    if asks in TYPED and not grounded(best):
        # a date or a number of a passage the question names in no way is no answer: the item it names decides
        best = next((s for s in ranked if grounded(s)), best)
    chunk = best.candidate.chunk
    looked_for = _label(entry) if entry else (chunk.item or None)
    offered = offered_options(question) if asks == "choice" else ()
    if offered and not best.extracted:
        return from_offered(index, query, ranked, offered, hits, looked_for)
    if empty(chunk):
        if shown_blank(chunk):
            return from_blank(index, query, best, asks, asked, hits, looked_for)
        # a PDF dump prints many values away from their labels: what is printed near the label first
        near = printed_option(index, chunk, offered) or value_beside(index, chunk, asks, question, asked)
        if near:
            return _from(near[0], near[1], chunk, hits, question, looked_for)
        if chunk.state == "unread" and query.keys and chunk.key == query.keys[0] and by_key(chunk.key).type in (
                "name", "one_of"):
            # the name or choice asked about is printed but could not be read: no other item's value stands in
            return Answer(question, NOT_STATED, not_stated(question, "unread", item=chunk.item or looked_for or ""),
                          _cite([Hit(chunk, 0.0)], hits), looked_for)
        best = next((s for s in ranked if not s.features.blank and s.extracted
                     and (asks not in TYPED or grounded(s))), best)
        chunk = best.candidate.chunk
    group = counted_group(question) if asks == "count" and not (best.extracted and grounded(best)) else None
    members = group_members(index, doc, group) if group else []
    if members:  # a group counted, where no item the question names gives the count: the record's members
        return Answer(question, ANSWERED, str(len(members)), _cite([Hit(c, 0.0) for c in members], hits), group)
    if best.kind != asks and asks not in ("value", "choice", "name", "list"):
        beside = value_beside(index, chunk, asks, question, asked)  # a rating asked "何課": its detail says
        if beside:
            return _from(beside[0], beside[1], chunk, hits, question, beside[0].item or looked_for)
    if asks in ("explain", "list") and chunk.selected:
        detail = detail_of(index, chunk)
        if detail and not empty(detail):
            value = extract(detail, "explain", question, asked) or detail.value
            return _from(detail, value, chunk, hits, question, detail.item)
    if best.extracted is None and asks in TYPED and not grounded(best):
        # the best passage is not the item asked about: the best one that holds the asked type answers, if
        # the question names it in some way or search ranks it next (a number from nowhere is no answer)
        best = next((s for s in ranked if s.kind == asks and (grounded(s) or near_top(s))), best)
        chunk = best.candidate.chunk
    if best.extracted is None and asks in TYPED:
        what = find_contact(question).name if asks == "contact" else None
        where = say(question, "under", item=chunk.item) if chunk.item else ""
        return Answer(question, NOT_STATED, not_stated(question, "no_typed", what=what or word(question, asks),
                                                       where=where), _cite([Hit(chunk, 0.0)], hits), looked_for)
    counted = annex_count(index, chunk) if asks == "count" else None
    if counted:  # an annex split into several passages is one list
        return Answer(question, ANSWERED, str(counted[0]), _cite([Hit(c, 0.0) for c in counted[1]], hits), looked_for)
    if asks in ("name", "value", "list") and restates(best.extracted or "", question):
        # the item holds only what the question already says (the name of the 課長 a question names): no answer
        return Answer(question, NOT_STATED, not_stated(question, "only_restated", item=chunk.item or looked_for or "",
                                                       value=best.extracted), _cite([Hit(chunk, 0.0)], hits), looked_for)
    if asks in ("name", "value", "choice", "list") or (asks == "explain" and chunk.checked):
        values = every_value(index, best, question, asked)
        if values:
            named = tuple((group_of(c) or c.item, v, Hit(c, 0.0)) for c, v in values)
            return Answer(question, ANSWERED, "／".join(f"{g}: {v}" for g, v, _ in named),
                          _cite([h for _, _, h in named], hits), looked_for, values=named)
    value = best.extracted or extract(chunk, "value", question, asked) or plain(chunk)
    return Answer(question, ANSWERED, value, _cite([Hit(chunk, 0.0)], hits), looked_for)


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


def grounded(s: Scored) -> bool:
    """Whether the question names this passage's item, group, section or a value it quotes — beyond
    its search rank."""
    f = s.features
    return bool(f.key or f.label >= 0.5 or f.group >= 0.5 or f.section or f.quoted)


def near_top(s: Scored) -> bool:
    """One of the search's first two passages of the document."""
    return s.candidate.rank is not None and s.candidate.rank < 2


TYPED = ("contact", "date", "amount", "count", "period")  # types whose absence from the item is evidence


def each_document(index, query: Query, hits: list[Hit]) -> Answer | None:
    """A question that names no organisation nor 事務, with passages from several documents: the item
    from each document that has it (up to MAX_DOCUMENTS), each cited — or None when they agree or
    only one answers (then the best document answers alone)."""
    docs = list(dict.fromkeys(h.chunk.doc for h in hits))[:MAX_DOCUMENTS]
    if len(docs) < 2:
        return None
    parts = [answer_document(index, query, [h for h in hits if h.chunk.doc == d]) for d in docs]
    parts = [p for p in parts if p.status == ANSWERED and p.citations]
    if len({p.answer for p in parts}) < 2:
        return None
    orgs = [p.citations[0].chunk.org for p in parts]
    names = [f"{c.org} {c.affair}" if orgs.count(c.org) > 1 else c.org
             for c in (p.citations[0].chunk for p in parts)]
    return side_by_side(query.text, ANSWERED, parts, names)


def side_by_side(question: str, status: str, parts: list[Answer], names: list[str]) -> Answer:
    """One answer of several cited parts, each named (an organisation, a 事務, a document): `name: answer`
    joined by ／, each part's first citation first."""
    cited = [(name, p) for name, p in zip(names, parts) if p.citations]
    text = "／".join(f"{name}: {p.answer}" for name, p in cited)
    cites = _cite([p.citations[0] for _, p in cited], [c for p in parts for c in p.citations])
    return Answer(question, status, text, cites, parts[0].looked_for if parts else None, tuple(parts))


def answer(index, question: str, k: int = 10, org: str | None = None, affair: str | None = None,
           history: bool = True, form: str | None = None, as_of: str | None = None, doc: str | None = None) -> Answer:
    """Answer a question from the index, with citations; the filters as `Index.search` takes them. Raises
    QueryError for a question, k, date or document out of range."""
    question = checked_question(question)
    check_k(k)
    if not has_content(question):
        return Answer(question, NO_MATCH, say(question, "empty_question"))
    query = analyse(question, index.vocab)
    if not (query.orgs or query.affairs or query.keys or index.knows_words(query)):
        return Answer(question, NO_MATCH, say(question, "nothing_about"))
    strange = None if query.orgs or query.affairs or query.keys or org or affair or doc else index.unknown_subject(question)
    if strange:  # names no form item, no organisation, and a subject no assessment mentions (火星の人口は？)
        return Answer(question, NO_MATCH, say(question, "nothing_about_subject", subject=strange))
    stranger = None if org else unknown_organisation(question, index.vocab)
    if stranger and not query.orgs:
        return Answer(question, NO_MATCH, say(question, "unknown_org", org=stranger, known=", ".join(index.orgs)))
    conflict = filter_conflict(index, query, org, affair, doc)
    if conflict:
        return Answer(question, NO_MATCH, conflict)
    hits = index.search(question, k=max(k, POOL), org=org, affair=affair, form=form, history=history, as_of=as_of,
                        doc=doc, query=query)
    # the table of contents answers only a question about it
    hits = [h for h in hits if h.chunk.item not in NAVIGATION_LABELS or compact(h.chunk.item) in compact(question)]
    if not hits:
        return Answer(question, NO_MATCH, say(question, "no_passage"))
    field = ("org" if len(query.orgs) > 1 and not org else
             "affair" if not affair and query.compared else None)
    if field:  # several organisations (or several 事務 of one) named: one cited part for each
        named = query.orgs if field == "org" else query.affairs
        parts = tuple(answer_document(index, query, [h for h in hits if getattr(h.chunk, field) == n])
                      for n in named if any(getattr(h.chunk, field) == n for h in hits))
        status = ANSWERED if any(p.status == ANSWERED for p in parts) else NOT_STATED
        names = [getattr(p.citations[0].chunk, field) if p.citations else "" for p in parts]
        return side_by_side(question, status, list(parts), names)
    if not (org or affair or doc or query.orgs or query.affairs):
        several = each_document(index, query, hits[:k])
        if several:
            return several
    by_doc = [h for h in hits if h.chunk.doc == hits[0].chunk.doc]
    result = answer_document(index, query, by_doc)
    # the passage the answer comes from, then the best passages of the search (which may say more)
    first = list(result.citations[:1]) if result.status == ANSWERED else list(result.citations)
    cited = _cite(first, [*hits[:2], *result.citations, *hits])
    version = index.version_note(cited[0].chunk.doc, as_of) if cited else None
    return replace(result, citations=cited, version=version)
