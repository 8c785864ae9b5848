"""What the app holds between requests: the model and the index (loaded once, swapped whole after a
change), and the changes an upload or an administrator makes. No Gradio here; app.py wires it."""
from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .embed import Embedder
from .errors import IndexMissing
from .indexer import BuildReport, build_index
from .retrieve import Index
from .settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """What an upload or a removal did, for the page to report: one line a document, then the notes."""

    lines: tuple[str, ...]
    report: BuildReport | None


class State:
    """The model and index, loaded once per process and swapped atomically after a change. `generation`
    names the index an open page shows, so the page can tell when its lists are stale."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.embedder = Embedder(settings)
        self.lock = threading.Lock()  # one change at a time; questions never wait for it
        self.index = self._load()
        self.exports = Path(tempfile.mkdtemp(prefix="piaqa-exports-"))

    def _load(self) -> Index:
        try:
            return Index.load(settings=self.settings, embedder=self.embedder)
        except IndexMissing:
            log.info("no index yet: indexing %s", self.settings.corpus_dir)
            build_index([self.settings.corpus_dir], self.settings, self.embedder)
            return Index.load(settings=self.settings, embedder=self.embedder)

    @property
    def generation(self) -> str:
        return self.index.generation

    def uploads(self) -> list[str]:
        """The uploaded documents that are indexed (those an administrator may remove)."""
        folder = self.settings.uploads_dir.resolve()
        return sorted(s for s, d in self.index.documents.items() if Path(d.path).resolve().parent == folder)

    def add(self, files: list[Path], names: list[str], replace: bool, progress=None) -> Change:
        """Store and index uploaded files. A file never overwrites another upload nor takes the name of an
        indexed document unless `replace` (then the indexed document of that name is replaced). What the
        build refuses is not kept."""
        uploads = self.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        with self.lock:
            indexed = set(self.index.documents)
            saved: list[tuple[Path, bool]] = []
            for path, name in zip(files, names):
                target = uploads / Path(name).name
                stem, n = target.stem, 2
                while not replace and ((target.read_bytes() != path.read_bytes()) if target.exists()
                                       else target.name in indexed):
                    target = uploads / f"{stem}-{n}{target.suffix}"
                    n += 1
                existed = target.exists()
                shutil.copyfile(path, target)
                saved.append((target, existed))
            report = build_index([t for t, _ in saved], self.settings, self.embedder, progress=progress,
                                 replace=replace)
            self.index = Index.load(settings=self.settings, embedder=self.embedder)
        refused = {Path(p).name: m for p, m in report.failed}
        for target, existed in saved:  # parsed once, by the build: what it refused is not kept
            if target.name in refused and not existed:
                target.unlink(missing_ok=True)
        read = dict(report.quality)
        lines = [f"✓ {s}: indexed" + (f" — read {read[s].summary()}" if s in read else "")
                 for s in (*report.added, *report.updated)]
        lines += [f"✓ {s}: unchanged" for s in report.unchanged if s in {t.name for t, _ in saved}]
        lines += [f"✗ {m}" for _, m in report.failed]
        lines += [f"{'⚠' if level == 'warning' else 'ⓘ'} {text}" for level, text in report.notes()]
        return Change(tuple(lines), report)

    def remove(self, source: str) -> Change:
        """Remove an uploaded document from the index and from the uploads folder."""
        with self.lock:
            if source not in self.uploads():
                return Change((f"✗ {source}: not an uploaded document",), None)
            (self.settings.uploads_dir / source).unlink(missing_ok=True)
            report = build_index([], self.settings, self.embedder)
            self.index = Index.load(settings=self.settings, embedder=self.embedder)
        return Change((f"✓ {source}: removed",) + tuple(text for _, text in report.notes()), report)
