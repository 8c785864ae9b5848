"""piaqa: question answering with cited passages over 特定個人情報保護評価書 (My Number PIAs).

Pipeline: ingest -> parse -> chunk -> tokenize/embed -> store -> retrieve -> answer -> render -> cli/app.

    >>> import piaqa
    >>> index = piaqa.Index.load("index")              # doctest: +SKIP
    >>> index.search("千葉市の国年の委託先は？", k=3)     # doctest: +SKIP
"""
from .errors import InputError, PiaqaError

# Every other public name loads on first use, so `piaqa --help` and a CLI talking to `piaqa serve`
# never import the parser, torch, FAISS or LangChain.
_LAZY = {"Chunk": "models", "Document": "models", "Hit": "models", "Item": "models", "Section": "models",
         "Settings": "settings", "parse_file": "parse", "Index": "retrieve", "PiaqaRetriever": "langchain",
         "ask_runnable": "langchain"}


def __getattr__(name: str):
    if name == "__version__":  # importlib.metadata costs a CLI call 30 ms: read when asked
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("piaqa")
        except PackageNotFoundError:  # a source tree that was never installed
            return "unknown"
    if name not in _LAZY:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


__all__ = ["Chunk", "Document", "Hit", "Index", "InputError", "PiaqaError", "PiaqaRetriever", "Section",
           "Item", "Settings", "ask_runnable", "parse_file"]
