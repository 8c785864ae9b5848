"""`piaqa serve`: the index and the model loaded once, behind a small HTTP JSON API on localhost.

    GET  /health     {"status": "ok", "version", "documents", "passages", "model"}
    GET  /documents  {"documents": [{source, org, affair, form, number, published, passages}, …]}
    POST /search     {"question", "k"?, "org"?, "affair"?, "form"?, "history"?, "as_of"?, "doc"?}
                     -> {"question", "hits": [passage, …]}                (as `piaqa search --json`)
    GET  /facts?item=委託先名   {"item", "key", "rows": [{org, affair, form, published, group, value, doc, …}]}
                     (`Accept: text/csv` for CSV)                          (as `piaqa facts --json`)
    POST /ask        the same fields -> {"question", "status", "answer", "citations", …}  (as `piaqa ask --json`)

`Accept: text/plain` on /search and /ask gives the terminal rendering instead (what the CLI prints); the
X-Piaqa-Status header carries the status either way.
A bad request is HTTP 400 (a value out of range) or 422 (an unknown or mistyped field), always with
{"error": "…"} naming what is accepted. FastAPI and uvicorn come with Gradio.
"""
from __future__ import annotations

import logging
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .answer.facts import facts, facts_csv, facts_dict
from .answer.llm import answerer
from .errors import PiaqaError
from .render import answer_dict, answer_text, hits_text, search_dict
from .retrieve import MAX_K, Index

log = logging.getLogger(__name__)
DEFAULT_PORT = 8765
STATUS_HEADER = "X-Piaqa-Status"  # answered / not_stated / no_match (/search: found / no_match)


class Question(BaseModel):
    """The body of /search and /ask: a question and the filters every interface shares."""

    model_config = ConfigDict(extra="forbid")
    question: str
    k: int | None = Field(default=None, ge=1, le=MAX_K)
    org: str | None = None
    affair: str | None = None
    form: str | None = None
    history: bool = True
    as_of: str | None = None
    doc: str | None = None

    def filters(self) -> dict:
        return {"org": self.org, "affair": self.affair, "form": self.form, "history": self.history,
                "as_of": self.as_of, "doc": self.doc}


def _reply(request: Request, response: Response, status: str, text, data):
    """The terminal rendering `text()` when the caller accepts text/plain, else the JSON `data()`; the
    status in the X-Piaqa-Status header either way."""
    if "text/plain" in request.headers.get("accept", ""):
        return PlainTextResponse(text(), headers={STATUS_HEADER: status})
    response.headers[STATUS_HEADER] = status
    return data()


def create_app(index: Index, llm: str = "", llm_base_url: str | None = None) -> FastAPI:
    """The API over one loaded index (see the module's docstring)."""
    api = FastAPI(title="piaqa", version=__version__)
    answer = answerer(llm, llm_base_url)
    accepted = ", ".join(Question.model_fields)

    @api.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": f"{problems} (accepted: {accepted})"}, status_code=422)

    @api.exception_handler(PiaqaError)
    async def refused(_: Request, exc: PiaqaError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    @api.get("/health")
    def health() -> dict:
        return {"status": "ok", "version": __version__, "documents": len(index.documents),
                "passages": len(index), "model": index.settings.model}

    @api.get("/documents")
    def documents() -> dict:
        return {"documents": [{"source": d.source, "org": d.org, "affair": d.affair, "form": d.form,
                               "number": d.number, "published": d.published, "passages": d.chunks}
                              for d in index.documents.values()]}

    @api.get("/facts")
    def table(request: Request, item: str, history: bool = False):
        found = facts(index, item, history=history)
        if "text/csv" in request.headers.get("accept", ""):
            return PlainTextResponse(facts_csv(found), media_type="text/csv")
        return facts_dict(found)

    @api.post("/search")
    def search(q: Question, request: Request, response: Response):
        hits = index.search(q.question, k=q.k or 5, **q.filters())
        return _reply(request, response, "found" if hits else "no_match",
                      lambda: hits_text(q.question, hits), lambda: search_dict(q.question, hits))

    @api.post("/ask")
    def ask(q: Question, request: Request, response: Response):
        result = answer(index, q.question, k=q.k or 10, **q.filters())
        return _reply(request, response, result.status, lambda: answer_text(result), lambda: answer_dict(result))

    return api


def serve(index: Index, host: str = "127.0.0.1", port: int = DEFAULT_PORT, llm: str = "",
          llm_base_url: str | None = None) -> None:
    """Run the API until interrupted (one process; requests are answered from a thread pool)."""
    import uvicorn

    from .embed import serving_threads

    serving_threads(1)
    index.search("特定個人情報ファイルの名称", k=1)  # the model loads on first use: before the first caller, not during
    log.warning("piaqa serve: http://%s:%d (set PIAQA_SERVER=http://%s:%d for the CLI to use it)",
                host, port, host, port)
    uvicorn.run(create_app(index, llm, llm_base_url), host=host, port=port, log_level="warning")
