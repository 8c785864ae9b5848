"""piaqa in LangChain: `PiaqaRetriever` (a `BaseRetriever`) and `ask_runnable` (the answer layer as a
Runnable). A passage is a `Document` whose metadata is the passage contract of `piaqa search --json`,
plus `source` (the file name, with `#page=N` for a PDF)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda
from pydantic import ConfigDict, field_validator

from .render import hit_dict
from .retrieve import Index

SEARCH_OPTIONS = ("k", "org", "affair", "form", "history", "as_of", "doc")


def to_document(hit) -> Document:
    """A search hit as a LangChain Document (page_content: the passage's source text)."""
    meta = hit_dict(hit)
    page = meta.get("page")
    meta["source"] = meta["doc"] + (f"#page={page}" if page and meta["doc"].lower().endswith(".pdf") else "")
    return Document(page_content=meta.pop("text"), metadata=meta, id=hit.chunk.id)


def _options(defaults: dict, given: dict) -> dict:
    unknown = sorted(set(given) - set(SEARCH_OPTIONS))
    if unknown:
        raise TypeError(f"unknown search argument(s) {', '.join(unknown)}; accepted: {', '.join(SEARCH_OPTIONS)}")
    return {**defaults, **given}


class PiaqaRetriever(BaseRetriever):
    """Hybrid (BM25 + dense) retrieval over a piaqa index, with piaqa's filters.

    `index` is a loaded `Index` or an index folder. Filters set here are defaults; `invoke(q, org=…)`
    overrides them for one call. An argument piaqa does not know is a TypeError naming the accepted ones.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")

    index: Index
    k: int = 5
    org: str | None = None
    affair: str | None = None
    form: str | None = None
    history: bool = True  # False leaves out change-log passages and superseded versions
    as_of: str | None = None  # the documents as they stood on a date (2024-04-01 or 令和6年4月1日)
    doc: str | None = None  # one document, by its file name

    @field_validator("index", mode="before")
    @classmethod
    def _load(cls, value: Any) -> Any:
        return Index.load(value) if isinstance(value, (str, Path)) else value

    @classmethod
    def from_index_dir(cls, path: str | Path, **options: Any) -> "PiaqaRetriever":
        """A retriever over the index in `path` (loaded once, with the model that built it)."""
        return cls(index=Index.load(path), **options)

    def _defaults(self) -> dict:
        return {name: getattr(self, name) for name in SEARCH_OPTIONS}

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        options = _options(self._defaults(), kwargs)
        return [to_document(hit) for hit in self.index.search(query, **options)]


def ask_runnable(index: Index | str | Path, **filters: Any) -> RunnableLambda:
    """The answer layer as a Runnable: a question (or {"question": …, and filters}) → {"question",
    "status" (answered / not_stated / no_match), "answer", "looked_for", "version", "citations":
    [Document…]}. Usable in LCEL (`ask_runnable(index) | format_answer`)."""
    from .answer import answer

    loaded = Index.load(index) if isinstance(index, (str, Path)) else index
    defaults = _options({"k": 10}, filters)

    def run(request: str | dict) -> dict:
        given = dict(request) if isinstance(request, dict) else {"question": request}
        question = given.pop("question", None)
        if not isinstance(question, str):
            raise TypeError("give a question: a string, or a dict with 'question'")
        result = answer(loaded, question, **_options(defaults, given))
        return {"question": result.question, "status": result.status, "answer": result.answer,
                "looked_for": result.looked_for, "version": result.version,
                "citations": [to_document(h) for h in result.citations]}

    return RunnableLambda(run, name="piaqa_ask")
