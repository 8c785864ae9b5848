"""An answer: its status, the short answer, its citations and the item looked for — what every way of
answering returns (extractive, generated) and rendering reads.

Status:
- answered:   the form says it; the answer is the item's value / selected option / best sentence.
- not_stated: the documents asked about were found but do not contain the fact (the form has no
              such item, the item is empty or unselected, or the detail asked for is not in it).
- no_match:   nothing in the index is about what was asked (e.g. an organisation not indexed).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Hit
from ..schema import FormItem

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


def cite(first: list[Hit], rest: list[Hit]) -> tuple[Hit, ...]:
    """The passages cited: `first`, then `rest`, each once, at most MAX_CITATIONS."""
    out: list[Hit] = []
    for hit in [*first, *rest]:
        if all(hit.chunk.id != h.chunk.id for h in out):
            out.append(hit)
    return tuple(out[:MAX_CITATIONS])


def label_of(entry: FormItem) -> str:
    """The item's printed label (its current printing's)."""
    return entry.labels[0]
