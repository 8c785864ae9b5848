"""Cited answers: one document's passages ranked once, the winner's typed value, or an honest "not stated"
(the statuses are in result.py; the verdicts certain before ranking in verdicts.py).
"""
from __future__ import annotations

from dataclasses import replace

from ..chunk import shown_blank
from ..models import Chunk, Hit
from ..parse.record import NAVIGATION_LABELS
from ..orgs import unknown_organisation
from ..query import Query, analyse
from ..retrieve import check_k, checked_question
from ..schema import by_key
from ..text import compact, has_content
from ..tokenize import tokens
from .asks import asked_type, offered_options
from .extract import find_contact, plain
from .extractors import empty, extract
from .nearby import annex_count, counted_group, detail_of, group_members, every_value, printed_option, stated_elsewhere, value_beside
from .rank import POOL, Scored, group_of, rank
from .result import ANSWERED, NO_MATCH, NOT_STATED, Answer, cite, label_of
from .scope import filter_conflict
from .verdicts import restates, schema_verdict
from .wording import not_stated, say, word

MAX_DOCUMENTS = 5  # documents answered side by side when a question names none


def from_blank(index, query: Query, best: Scored, asks: str, asked: set[str], hits: list[Hit],
               looked_for: str | None) -> Answer:
    """The best item is blank in a table dump: the fact stated beside it (a reason, a quantity), or
    'not stated' naming the blank item."""
    chunk = best.candidate.chunk
    found = stated_elsewhere(index, query.text, chunk)
    if found:
        value = extract(found, asks, query.text, asked) or found.value
        return Answer(query.text, ANSWERED, value, cite([Hit(found, 0.0), Hit(chunk, 0.0)], hits), looked_for)
    choice = by_key(chunk.key).choice if chunk.key else False
    return Answer(query.text, NOT_STATED, not_stated(query.text, "not_selected" if choice else "left_blank",
                                                     item=chunk.item or looked_for or ""),
                  cite([Hit(chunk, 0.0)], hits), looked_for)


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
                  cite([Hit(chunk, 0.0)], hits), looked_for)


def _from(chunk: Chunk, value: str, cited: Chunk, hits: list[Hit], question: str, looked_for: str | None) -> Answer:
    """An answer taken from `chunk`, cited first, with the item the ranking chose (`cited`) after it."""
    return Answer(question, ANSWERED, value, cite([Hit(chunk, 0.0), Hit(cited, 0.0)], hits), looked_for)


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
    looked_for = label_of(entry) if entry else (chunk.item or None)
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
                          cite([Hit(chunk, 0.0)], hits), looked_for)
        best = next((s for s in ranked if not s.features.blank and s.extracted
                     and (asks not in TYPED or grounded(s))), best)
        chunk = best.candidate.chunk
    group = counted_group(question) if asks == "count" and not (best.extracted and grounded(best)) else None
    members = group_members(index, doc, group) if group else []
    if members:  # a group counted, where no item the question names gives the count: the record's members
        return Answer(question, ANSWERED, str(len(members)), cite([Hit(c, 0.0) for c in members], hits), group)
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
                                                       where=where), cite([Hit(chunk, 0.0)], hits), looked_for)
    counted = annex_count(index, chunk) if asks == "count" else None
    if counted:  # an annex split into several passages is one list
        return Answer(question, ANSWERED, str(counted[0]), cite([Hit(c, 0.0) for c in counted[1]], hits), looked_for)
    if asks in ("name", "value", "list") and restates(best.extracted or "", question):
        # the item holds only what the question already says (the name of the 課長 a question names): no answer
        return Answer(question, NOT_STATED, not_stated(question, "only_restated", item=chunk.item or looked_for or "",
                                                       value=best.extracted), cite([Hit(chunk, 0.0)], hits), looked_for)
    if asks in ("name", "value", "choice", "list") or (asks == "explain" and chunk.checked):
        values = every_value(index, best, question, asked)
        if values:
            named = tuple((group_of(c) or c.item, v, Hit(c, 0.0)) for c, v in values)
            return Answer(question, ANSWERED, "／".join(f"{g}: {v}" for g, v, _ in named),
                          cite([h for _, _, h in named], hits), looked_for, values=named)
    value = best.extracted or extract(chunk, "value", question, asked) or plain(chunk)
    return Answer(question, ANSWERED, value, cite([Hit(chunk, 0.0)], hits), looked_for)


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
    cites = cite([p.citations[0] for _, p in cited], [c for p in parts for c in p.citations])
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
    cited = cite(first, [*hits[:2], *result.citations, *hits])
    version = index.version_note(cited[0].chunk.doc, as_of) if cited else None
    return replace(result, citations=cited, version=version)
