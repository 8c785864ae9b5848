"""piaqa as a LangChain retriever: `PiaqaRetriever(index=Index.load()).invoke("…")` returns
`Document`s whose metadata is the passage contract of `piaqa search --json`."""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from .render import hit_dict
from .retrieve import Index


class PiaqaRetriever(BaseRetriever):
    """Hybrid (BM25 + dense) retrieval over a loaded piaqa index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: Index
    k: int = 5
    org: str | None = None
    affair: str | None = None
    history: bool = True

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                **kwargs: Any) -> list[Document]:
        hits = self.index.search(query, k=kwargs.get("k", self.k), org=self.org, affair=self.affair,
                                 history=self.history)
        docs = []
        for hit in hits:
            meta = hit_dict(hit)
            docs.append(Document(page_content=meta.pop("text"), metadata=meta, id=hit.chunk.id))
        return docs
