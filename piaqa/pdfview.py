"""A page of a PDF assessment as an image, with a cited passage framed: what the source viewer shows
for a PDF document. pdfplumber renders the page (through pypdfium2) and finds the passage's words."""
from __future__ import annotations

import logging
from pathlib import Path

from .errors import InputError

log = logging.getLogger(__name__)
RESOLUTION = 110  # dots per inch: an A4 page about 910 × 1290 pixels
FRAME = (220, 40, 40)  # red, 3 px


def needles(passage: str) -> list[str]:
    """Strings to look for on the page, most specific first: the passage's first lines, cell by cell.

    >>> needles("⑥委託先名\\t日本電気株式会社大分支店\\n次の行")
    ['日本電気株式会社大分支店', '⑥委託先名', '次の行']
    """
    cells = [c.strip() for line in passage.splitlines()[:3] for c in line.split("\t") if len(c.strip()) >= 2]
    return sorted(dict.fromkeys(c[:40] for c in cells), key=lambda c: -len(c))


def page_image(path: Path, page: int, passage: str = ""):
    """The 1-based `page` of the PDF at `path` as a PIL image, with the first match of the passage framed
    (no frame when none of its text is found on the page). Raises InputError when the file or the page
    cannot be read."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            if not 1 <= page <= len(pdf.pages):
                raise InputError(str(path), f"has no page {page} (it has {len(pdf.pages)})")
            sheet = pdf.pages[page - 1]
            image = sheet.to_image(resolution=RESOLUTION)
            for needle in needles(passage):
                found = sheet.search(needle, regex=False, case=True)
                if found:
                    box = found[0]
                    image.draw_rect((box["x0"] - 2, box["top"] - 2, box["x1"] + 2, box["bottom"] + 2),
                                    fill=None, stroke=FRAME, stroke_width=3)
                    break
            return image.annotated.convert("RGB")
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer and pypdfium2 raise their own types
        raise InputError(str(path), f"cannot render page {page} ({type(exc).__name__}: {exc})") from exc
