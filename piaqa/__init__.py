"""piaqa: question answering with cited passages over 特定個人情報保護評価書 (My Number PIAs).

Pipeline: ingest -> parse -> chunk -> tokenize/embed -> store -> retrieve -> answer -> render -> cli/app.

    >>> import piaqa
    >>> index = piaqa.Index.load("index")              # doctest: +SKIP
    >>> index.search("千葉市の国年の委託先は？", k=3)     # doctest: +SKIP
"""
from .errors import InputError, PiaqaError
from .models import Chunk, Document, Hit, Item, Section
from .parse import parse_file
from .settings import Settings


def __getattr__(name: str):
    # Heavy parts (torch, faiss, langchain) load only when asked for.
    if name == "Index":
        from .retrieve import Index

        return Index
    if name in ("PiaqaRetriever", "ask_runnable"):
        from . import langchain

        return getattr(langchain, name)
    raise AttributeError(name)


__all__ = ["Chunk", "Document", "Hit", "Index", "InputError", "Item", "PiaqaError", "PiaqaRetriever", "Section",
           "Settings", "ask_runnable", "parse_file"]
