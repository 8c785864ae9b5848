"""Cited answers: the short answer from the form, an honest "not stated", or "no match".

Status:
- answered:   the form says it; the answer is the item's value / selected option / best sentence.
- not_stated: the documents asked about were found but do not contain the fact (the form has no
              such item, the item is empty or unselected, or the detail asked for is not in it).
- no_match:   nothing in the index is about what was asked (e.g. an organisation not indexed).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Chunk, Hit
from ..query import Query, analyse, normalise
from ..schema import FormItem, by_key, label_core
from ..text import strip_html
from ..tokenize import tokens
from .extract import (asked_unit, best_sentence, count_answer, find_fact, find_quantity, is_placeholder, is_yes_no,
                      polarity)

ANSWERED, NOT_STATED, NO_MATCH = "answered", "not_stated", "no_match"
ORG_JA = re.compile(r"([一-龥ぁ-んァ-ヶ]{1,6}?(?:市|町|村|区|県|府|都))(?=の|は|で|に|が|と|、|\s|'|’|$)")
ORG_EN = re.compile(r"\b([A-Z][a-z]+)(?:\s+(?:City|Town|Village|Ward|Prefecture))\b|\bCity of ([A-Z][a-z]+)")
GENERIC_PLACES = frozenset({"市町村", "市区町村", "都道府県", "指定都市", "構成市町村", "各市町村", "他市町村", "当市",
                            "本市", "同市", "市", "町", "村", "区", "県", "都", "府"})
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


def unknown_organisation(question: str, orgs: list[str]) -> str | None:
    """An organisation the question names that is not in the index (then nothing can answer it)."""
    from ..query import org_aliases

    known = {a for o in orgs for a in org_aliases(o, tuple(orgs))}
    for m in ORG_JA.finditer(question):
        name = m.group(1)
        stem = name[:-1]
        if name not in GENERIC_PLACES and normalise(name) not in known and normalise(stem) not in known \
                and not any(normalise(stem) in k or k in normalise(name) for k in known if len(k) >= 2):
            return name
    for m in ORG_EN.finditer(question):
        name = (m.group(1) or m.group(2)).lower()
        if name not in known and not any(name in k for k in known):
            return m.group(0)
    return None


def _value(chunk: Chunk) -> str:
    if chunk.selected:
        return chunk.selected
    if chunk.checked:
        return "、".join(chunk.checked)
    return chunk.value.strip()


def _related(index, entry: FormItem, hits: list[Hit], doc: str) -> list[Hit]:
    """The items that say what the form does say about an absent fact, from the best matching group."""
    found = [h for h in hits if h.chunk.key in entry.related]
    section = found[0].chunk.section if found else None
    pool = [c for c in index.chunks_of(doc) if c.key in entry.related and not c.history
            and (section is None or c.section == section)]
    ranked = sorted(pool, key=lambda c: entry.related.index(c.key))
    return [*(Hit(c, 0.0) for c in ranked), *found]


def _empty(chunk: Chunk) -> bool:
    """A blank item, or a choice with no option selected."""
    if chunk.selected or chunk.checked:
        return False
    rest = re.sub(r"[\[\]［］]", "", chunk.value).replace(chunk.item, "")
    entry = by_key(chunk.key) if chunk.key else None
    return is_placeholder(rest) or bool(entry and entry.choice and len(rest) < 4)


def _siblings(index, chunk: Chunk) -> list[Chunk]:
    """The other current (not change-log) items of a chunk's section."""
    return [c for c in index.section_of(chunk) if not c.history and c.id != chunk.id]


WHY = re.compile(r"\bwhy\b|reason|なぜ|理由|どうして|妥当性", re.I)


def _stated_elsewhere(index, question: str, blank: Hit) -> Hit | None:
    """When an item is blank, the fact may still be stated beside it: a reason in その妥当性 (for "why"),
    or the quantity asked for (150年間) in a sibling item of the same group."""
    siblings = [Hit(c, 0.0) for c in _siblings(index, blank.chunk)]
    if WHY.search(question):
        return next((h for h in siblings if h.chunk.key == "validity" and not _empty(h.chunk)), None)
    unit = asked_unit(question)
    if unit:
        return next((h for h in siblings if find_quantity(h.chunk.value, unit)), None)
    return None


def _detail(index, chunk: Chunk) -> Chunk | None:
    """The 具体的な… item that follows a rating (十分に行っている) and says what is actually done."""
    after = [c for c in _siblings(index, chunk) if c.lines[0] > chunk.lines[1]]
    return next((c for c in after[:2] if c.item.startswith(("具体的", "その内容")) or c.key == "audit.detail"), None)


def _cite(first: list[Hit], rest: list[Hit]) -> tuple[Hit, ...]:
    out: list[Hit] = []
    for hit in [*first, *rest]:
        if all(hit.chunk.id != h.chunk.id for h in out):
            out.append(hit)
    return tuple(out[:MAX_CITATIONS])


def _label(entry: FormItem) -> str:
    return entry.labels[0]


def answer_document(index, query: Query, hits: list[Hit]) -> Answer:
    """The answer from one document's passages (hits all from the same organisation)."""
    question = query.text
    doc = hits[0].chunk.doc
    entry = by_key(query.keys[0]) if query.keys else None
    if entry and entry.absent:
        related = _related(index, entry, hits, doc)
        said = "; ".join(f"{h.chunk.item}: {_value(h.chunk)[:60]}" for h in related[:2])
        return Answer(question, NOT_STATED, f"The document does not state this: the form has no item for "
                      f"{_label(entry)}." + (f" It says {said}." if said else ""), _cite(related, hits), _label(entry))
    if query.history and not any(c.history for c in index.chunks_of(doc)) and "変更箇所" in query.expanded:
        return Answer(question, NOT_STATED, "The document does not state this: it has no 変更箇所 (change log) "
                      "section, although its table of contents may list one.", _cite([], hits), "変更箇所")
    keyed = []
    if entry and (not query.history or entry.key.startswith("cover.")) and "別添" not in question:  # an annex has no items
        keyed = [h for h in hits if h.chunk.key == entry.key and not h.chunk.history]
        keyed += [Hit(c, 0.0) for c in index.chunks_of(doc) if c.key == entry.key and not c.history
                  and all(c.id != h.chunk.id for h in keyed)]
        labels = {label_core(label) for label in entry.labels}
        if not keyed and not any(label_core(c.item) in labels for c in index.chunks_of(doc) if not c.history):
            return Answer(question, NOT_STATED, f"The document does not state this: it has no {_label(entry)} item.",
                          _cite([], hits), _label(entry))
        # the group the question names (委託事項3's title) first, then an item with content; rank order otherwise
        asked = set(tokens(query.topic))
        keyed.sort(key=lambda h: (-round(index.names_group(asked, h.chunk), 2), _empty(h.chunk)))
    fact = find_fact(question)
    labelled = list(keyed)  # where a contact detail or date must be, when the question names the item
    if keyed and _empty(keyed[0].chunk) and keyed[0].chunk.family == "pdf_text":
        keyed = []  # a PDF dump prints many values away from their labels: answer from the passages
    if keyed:
        best = keyed[0]
        value = _value(best.chunk)
        if _empty(best.chunk):
            found = _stated_elsewhere(index, question, best)
            if found:
                return Answer(question, ANSWERED, shape(question, found.chunk.value, found.chunk, query),
                              _cite([found, best], hits), _label(entry))
            return Answer(question, NOT_STATED, f"The document does not state this: {best.chunk.item or _label(entry)} "
                          f"is {'not selected' if entry.choice else 'left blank'} in the form.",
                          _cite([best], hits), _label(entry))
        detail = _detail(index, best.chunk) if best.chunk.selected and not asks_choice(question) else None
        if detail and not fact:  # "何課を対象に" asks what the rating's detail says, not the rating
            return Answer(question, ANSWERED, shape(question, detail.value, detail, query),
                          _cite([Hit(detail, 0.0), best], hits), detail.item)
        if not fact:
            return Answer(question, ANSWERED, shape(question, value, best.chunk, query), _cite([best], hits),
                          _label(entry))
    if fact:
        # a date must be the item's own value; a contact detail may sit in the cell beside its label
        beside = [Hit(c, 0.0) for c in _siblings(index, labelled[0].chunk)] if labelled and fact.name != "date" else []
        pool = [*labelled, *beside] if labelled else hits[:3]
        for hit in pool:
            m = fact.found.search(hit.chunk.text)
            if m:
                return Answer(question, ANSWERED, m.group(0).strip(), _cite([hit], hits),
                              _label(entry) if entry else None)
        return Answer(question, NOT_STATED, f"The document does not state this: no {fact.name} is given"
                      + (f" under {_label(entry)}" if entry else "") + ".", _cite(pool[:1], hits),
                      _label(entry) if entry else None)
    best = next((h for h in hits if not is_placeholder(h.chunk.value) or h.chunk.selected), hits[0])
    text = strip_html(best.chunk.value or best.chunk.text)
    return Answer(question, ANSWERED, shape(question, text, best.chunk, query), _cite([best], hits), None)


CHOICE_WORDS = re.compile(r"区分|選択|十分|どの程度|レベル|bracket|option|selected|rating|sufficient|level|"
                          r"^\s*(?:does|do|is|are|has|have)\b|ますか|ですか", re.I)


def asks_choice(question: str) -> bool:
    """Does the question ask for the selected option itself (a bracket, a rating, yes/no)?"""
    return bool(CHOICE_WORDS.search(question))


def shape(question: str, value: str, chunk: Chunk, query: Query) -> str:
    """Fit a passage's value to the question: a count, a yes/no with its reason, a history date,
    or the sentence that answers it."""
    count = count_answer(question, " ".join(c for c in (chunk.value, chunk.text) if c))
    if count and not chunk.selected:
        return count
    short = value if len(value) <= 160 else best_sentence(value, set(tokens(query.topic)))
    unit = asked_unit(question)
    quantity = find_quantity(short, unit) if unit and not chunk.selected else None
    if quantity and len(short) > 60:
        return f"{quantity}: {short}"
    if chunk.history and re.search(r"いつ|when|date|変更日", question, re.I):
        date = re.search(r"(?:令和|平成)(?:元|[0-9０-９]+)年[0-9０-９]+月[0-9０-９]+日", chunk.text)
        if date:
            return f"{date.group(0)}: {short}"
    if is_yes_no(question) and not chunk.selected:
        return f"{polarity(short)}: {short}"
    return short


def answer(index, question: str, k: int = 10, org: str | None = None, affair: str | None = None,
           history: bool = True, form: str | None = None) -> Answer:
    """Answer a question from the index, with citations."""
    if not question.strip():
        return Answer(question, NO_MATCH, "Ask a question about the indexed assessments.")
    query = analyse(question, index.orgs, index.affairs)
    stranger = None if org else unknown_organisation(question, index.orgs)
    if stranger and not query.orgs:
        return Answer(question, NO_MATCH, f"No indexed assessment is about {stranger}: "
                      f"the index holds {', '.join(index.orgs)}.")
    hits = index.search(question, k=k, org=org, affair=affair, form=form, history=history)
    if not hits:
        return Answer(question, NO_MATCH, "No passage in the index matches this question.")
    if len(query.orgs) > 1 and not org:
        parts = tuple(answer_document(index, query, [h for h in hits if h.chunk.org == o])
                      for o in query.orgs if any(h.chunk.org == o for h in hits))
        status = ANSWERED if any(p.status == ANSWERED for p in parts) else NOT_STATED
        text = "／".join(f"{p.citations[0].chunk.org}: {p.answer}" for p in parts if p.citations)
        cites = _cite([p.citations[0] for p in parts if p.citations], [c for p in parts for c in p.citations])
        return Answer(question, status, text, cites, parts[0].looked_for if parts else None, parts)
    by_doc = [h for h in hits if h.chunk.doc == hits[0].chunk.doc]
    result = answer_document(index, query, by_doc)
    # the passage the answer comes from, then the best passages of the search (which may say more)
    first = list(result.citations[:1]) if result.status == ANSWERED else list(result.citations)
    return Answer(result.question, result.status, result.answer, _cite(first, [*hits[:2], *result.citations, *hits]),
                  result.looked_for, result.parts)
