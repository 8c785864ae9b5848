"""How well a document was read: form items and their coverage of what the form type prints (from the
様式 catalogue), selected options — and a warning when that is far less than the form type prints, so a
user learns a PDF was read badly before trusting a "not stated" answer."""
from __future__ import annotations

from dataclasses import dataclass

from ..models import Document
from .document import walk
from .record import Coverage, Record, record_of

WHOLE_DOCUMENT_PAGES = 5  # a document this long is a whole assessment, not an opening
LOST_SHARE = 0.2  # found less than this share of the items its form type prints, the form was lost: the samples
# read 0.82–0.89 of what their form type prints, a PDF whose tables the reader lost a dozen items (0.07), the
# first 170 rows of a 全項目評価書 drawn as a PDF 0.30


@dataclass(frozen=True)
class ReadQuality:
    items: int  # form items read
    known: int  # distinct catalogue items recognised among them
    choices: int  # items whose selected option or ticked boxes were read
    pages: int | None  # pages of the source, when it has pages
    warning: str | None = None
    coverage: Coverage | None = None

    def summary(self) -> str:
        pages = f", {self.pages} page{'s' if self.pages > 1 else ''}" if self.pages else ""
        cover = f"; coverage {self.coverage.summary()}" if self.coverage and self.coverage.expected else ""
        return f"{self.items} items ({self.known} form items, {self.choices} with a selected option{cover}){pages}"


def read_quality(doc: Document, record: Record | None = None) -> ReadQuality:
    """Counts of what was read from `doc`, with a warning when a whole document reads far below its form
    (`record`: its typed record, when the caller has it already)."""
    items = [it for s in walk(doc.sections) for it in s.items if not it.history]
    known = len({it.key for it in items if it.key})
    choices = sum(1 for it in items if it.selected or it.checked)
    pages = max(doc.pages) if doc.pages else None
    coverage = (record or record_of(doc)).coverage
    warning = None
    whole = pages and pages >= WHOLE_DOCUMENT_PAGES
    if whole and coverage.expected and coverage.found < LOST_SHARE * coverage.expected:
        warning = (f"only {coverage.found} of the {coverage.expected} items a {doc.form} prints were recognised in "
                   f"{pages} pages: the form was probably read badly (scanned, or an unusual layout); "
                   "check answers against the PDF")
    elif whole and known >= 20 and choices == 0:
        warning = "no selected option or tick was read: answers about choices may wrongly say 'not stated'"
    return ReadQuality(len(items), known, choices, pages, warning, coverage)
