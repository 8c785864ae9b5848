"""One ranking decides which item answers: the search's top passages of a document, plus the items
the question names, re-scored with transparent features.

Features (each 0..1): `retrieval` (reciprocal search rank), `key` (the schema items the question
names, by strength), `label` (the item's printed label in the question), `group` (the group named by
title or number: 委託事項3, システム2), `section` (a section named by number: Ⅱ.2, Ⅲ.5, or 表紙),
`quoted` (the values the question quotes: 「…」, 5年), `moved` (a change row from one value it names to
the other), `wh` (the form's label for the question word: 方法 for "how"), `fit` (a value of the expected
type can be taken from it; of the options it offers, when it lists them), `blank` and `history`
(penalties). The score is a weighted sum; `contributions` shows the terms, for explaining an answer.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Literal

from ..chunk import shown_blank
from ..models import Chunk, Hit
from ..schema import by_key, label_core
from ..text import compact
from ..tokenize import tokens
from .extractors import empty, extract_kind
from .signals import GROUP, Signals, signals

Origin = Literal["search", "keyed", "label"]
POOL = 15  # search passages of the document that compete
FALLBACK_FIT = 0.3  # a value of another type than the one asked for fits a little
BLANK_FIT = 0.5  # an item shown blank answers any question about it: "left blank"


@dataclass(frozen=True)
class Weights:
    """How much each feature counts (measured on both halves of the dev set and its perturbed copy)."""

    retrieval: float = 1.0
    key: float = 0.7
    label: float = 0.8
    group: float = 1.0
    section: float = 1.0
    quoted: float = 0.8
    moved: float = 1.5  # a change row whose 変更前 and 変更後 hold the two values the question names
    wh: float = 0.5
    fit: float = 0.6
    blank: float = -0.6  # a PDF dump's row with nothing beside its label: the value is printed elsewhere
    history: float = -1.5  # a change-log row for a question about the current form, or the reverse

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not -5 <= value <= 5:
                raise ValueError(f"weight {f.name} must be within -5..5 (a feature is 0..1), got {value!r}")


@dataclass(frozen=True)
class Candidate:
    chunk: Chunk
    origin: Origin
    rank: int | None  # in the document's search passages, from 0; None when gathered from the document


@dataclass(frozen=True)
class Features:
    retrieval: float
    key: float
    label: float
    group: float
    section: float
    quoted: float
    moved: float
    wh: float
    fit: float
    blank: float
    history: float


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    features: Features
    score: float
    extracted: str | None  # the typed value this chunk gives, if any
    kind: str | None = None  # the type it was taken as (the asked type, or a fallback)


def group_of(chunk: Chunk) -> str | None:
    """The group title (委託事項2 …, システム1 …) a chunk sits in, as its path says."""
    parts = chunk.section.split(" > ")
    return parts[2] if len(parts) >= 3 and GROUP.match(parts[2]) else None


def annex(chunk: Chunk) -> bool:
    """A passage of an annex the document added (別添), not its change log: its title is its own."""
    return chunk.section.startswith("(別添") and not chunk.history


def group_number(chunk: Chunk) -> str | None:
    """'委託事項2' for a chunk of 委託事項2 (whatever its title)."""
    m = GROUP.match(group_of(chunk) or "")
    return f"{m.group(1)}{unicodedata.normalize('NFKC', m.group(2))}" if m else None


ANNEX_TITLE = re.compile(r"^[（(]\s*別添\s*([0-9０-９]{1,2})")


def in_section(chunk: Chunk, numbers: set[tuple[str, str]], cover: bool) -> float:
    """1 when the chunk lies in a sub-section the question names by number (or on the cover it names). A
    form item's sub-section is where the 様式 prints it for the chunk's form type (a PDF dump may put its
    row under another sub-section's title); an unknown row's is the path it was read under."""
    parts = chunk.section.split(" > ")
    if cover and parts[0].startswith("表紙"):
        return 1.0
    if not numbers:
        return 0.0
    printed = by_key(chunk.key).number(chunk.form) if chunk.key else None
    if printed and printed.startswith("別添"):
        return float(("別添", printed.removeprefix("別添").split("-")[0]) in numbers)
    if printed:
        top, _, rest = printed.partition("-")
        return float((top, rest.split("-")[0]) in numbers)
    if annex := ANNEX_TITLE.match(parts[0]):
        return float(("別添", unicodedata.normalize("NFKC", annex.group(1))) in numbers)
    if len(parts) < 2:
        return 0.0
    sub = re.match(r"\s*([0-9０-９]{1,2})\s*[.．]", parts[1])
    top = parts[0].split(" ")[0]
    return float(bool(sub) and (top, unicodedata.normalize("NFKC", sub.group(1))) in numbers)


def moved_in(chunk: Chunk, moved: tuple[str, str] | None) -> float:
    """1 when a change row went from the question's earlier value to its later one ('5年から150年に')."""
    change = chunk.change
    if not moved or not change or not change.before or not change.after:
        return 0.0
    return float(moved[0] in compact(change.before) and moved[1] in compact(change.after))


def quoted_in(chunk: Chunk, quotes: tuple[str, ...]) -> float:
    """The share of the question's quoted values that the passage contains."""
    if not quotes:
        return 0.0
    text = compact(chunk.text)
    return sum(q in text for q in quotes) / len(quotes)


def label_named(chunk: Chunk, flat_question: str, question_tokens: set[str]) -> float:
    """How fully the question names the item's printed label (1 when it contains it)."""
    core = label_core(chunk.item)
    if len(core) >= 2 and core in flat_question:
        return 1.0
    label_tokens = {t for t in tokens(core) if len(t) >= 2}
    shared = len(label_tokens & question_tokens)
    return shared / len(label_tokens) if shared >= 2 else 0.0  # one shared word (委託) names no item


def gather(doc_chunks: Sequence[Chunk], doc: str, hits: Sequence[Hit], keys: Sequence[str],
           flat_question: str) -> list[Candidate]:
    """The document's top search passages, every current item of the keys the question names, and every
    item whose printed label the question contains. Deduplicated, in a stable order; no scoring here."""
    out: dict[str, Candidate] = {}
    for rank, hit in enumerate(h for h in hits[:POOL] if h.chunk.doc == doc):
        out.setdefault(hit.chunk.id, Candidate(hit.chunk, "search", rank))
    wanted = set(keys[:3])
    for chunk in doc_chunks:
        if chunk.history or chunk.id in out:
            continue
        core = label_core(chunk.item)
        if chunk.key and chunk.key in wanted:
            out[chunk.id] = Candidate(chunk, "keyed", None)
        elif len(core) >= 3 and core in flat_question:
            out[chunk.id] = Candidate(chunk, "label", None)
    return list(out.values())


def featurize(c: Candidate, q: Signals, view, fit: float, blank: bool) -> Features:
    chunk = c.chunk
    return Features(
        retrieval=1.0 / (1 + c.rank) if c.rank is not None else 0.0,
        key=next((1.0 / (1 + i) for i, k in enumerate(q.keys[:3]) if chunk.key == k), 0.0),
        label=label_named(chunk, q.flat, q.said),
        group=max(view.names_group(q.topic, chunk) if chunk.section.count(" > ") >= 2 or annex(chunk) else 0.0,
                  float(group_number(chunk) in q.groups)),
        section=in_section(chunk, q.numbers, q.cover),
        quoted=quoted_in(chunk, q.quotes),
        moved=moved_in(chunk, q.moved),
        wh=float(any(w in label_core(chunk.item) for w in q.wh)),
        fit=fit,
        blank=float(blank),  # its value is printed elsewhere (a PDF dump's drifted row)
        history=float(chunk.history != q.history),
    )


def log_only(doc_chunks: Sequence[Chunk]) -> bool:
    """A 変更箇所のみ document: (almost) all it holds are change-log rows, whose 変更後 is what it says now."""
    return sum(not c.history for c in doc_chunks) < 5


def score(f: Features, w: Weights) -> float:
    return sum(getattr(f, name.name) * getattr(w, name.name) for name in fields(f))


def contributions(f: Features, w: Weights) -> dict[str, float]:
    """Each feature's term of the score, for explaining why an item was chosen."""
    return {name.name: round(getattr(f, name.name) * getattr(w, name.name), 3) for name in fields(f)}


def rank(view, doc: str, hits: Sequence[Hit], query, asks: str, w: Weights = Weights()) -> list[Scored]:
    """The candidates of one document, best first."""
    doc_chunks = view.chunks_of(doc)
    rows_only = log_only(doc_chunks)
    q = signals(query, wants_history=asks == "change" or rows_only)
    out = []
    for c in gather(doc_chunks, doc, hits, query.keys, q.flat):
        if rows_only and asks != "change" and c.chunk.change and c.chunk.change.after:
            c = replace(c, chunk=replace(c.chunk, value=c.chunk.change.after))
        found, kind = extract_kind(c.chunk, asks, query.text, set(q.topic))
        if found and q.offered and not any(o in compact(found) for o in q.offered):
            found, kind = None, None  # the question lists the options: another value is no answer
        # an item shown blank answers "left blank"; one whose value is printed elsewhere (a PDF dump) is penalised
        fit = 1.0 if kind == asks else FALLBACK_FIT if found else BLANK_FIT * shown_blank(c.chunk)
        elsewhere = c.chunk.family == "pdf_text" and empty(c.chunk) and not shown_blank(c.chunk)
        f = featurize(c, q, view, fit, elsewhere)
        out.append(Scored(c, f, score(f, w), found, kind))
    out.sort(key=lambda s: -s.score)
    return out
