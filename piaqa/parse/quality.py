"""How well a document was read: form items, recognised items, selected options — and a warning
when that is far less than the form type prints, so a user learns a PDF was read badly before
trusting a "not stated" answer."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Document
from .document import walk

# Distinct catalogue items a whole document of each form type prints (the samples read 65–95 of
# 全項目/重点項目 forms); half of this, from a document of several pages, means the form was lost.
EXPECTED_ITEMS = {"全項目評価書": 70, "重点項目評価書": 50, "基礎項目評価書": 12}
WHOLE_DOCUMENT_PAGES = 5


@dataclass(frozen=True)
class ReadQuality:
    items: int  # form items read
    known: int  # distinct items of the form's catalogue recognised among them
    choices: int  # items whose selected option or ticked boxes were read
    pages: int | None  # pages of the source, when it has pages
    warning: str | None = None

    def summary(self) -> str:
        pages = f", {self.pages} page{'s' if self.pages > 1 else ''}" if self.pages else ""
        return f"{self.items} items ({self.known} form items, {self.choices} with a selected option){pages}"


def read_quality(doc: Document) -> ReadQuality:
    """Counts of what was read from `doc`, with a warning when a whole document reads far below its form."""
    items = [it for s in walk(doc.sections) for it in s.items if not it.history]
    known = len({it.key for it in items if it.key})
    choices = sum(1 for it in items if it.selected or it.checked)
    pages = max(doc.pages) if doc.pages else None
    expected = EXPECTED_ITEMS.get(doc.form or "")
    warning = None
    if expected and pages and pages >= WHOLE_DOCUMENT_PAGES and known < expected // 2:
        warning = (f"only {known} of the ~{expected} items a {doc.form} prints were recognised in {pages} pages: "
                   "the form was probably read badly (scanned, or an unusual layout); check answers against the PDF")
    elif pages and pages >= WHOLE_DOCUMENT_PAGES and known >= 20 and choices == 0:
        warning = "no selected option or tick was read: answers about choices may wrongly say 'not stated'"
    return ReadQuality(len(items), known, choices, pages, warning)
