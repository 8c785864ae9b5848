"""Optional generation through LangChain: a chat model writes the answer from the numbered passages
only, with [n] markers. Every marker is checked against the passages given; an answer that cites
nothing, or cites a passage it was not given, is rejected and the extractive answer stands."""
from __future__ import annotations

import logging
import re
from dataclasses import replace

from ..errors import PiaqaError
from .result import NO_MATCH, Answer

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d{1,2})\]")
SYSTEM = (
    "You answer questions about Japanese 特定個人情報保護評価書 (My Number privacy impact assessments). "
    "Use only the numbered passages. Put the passage number in square brackets, e.g. [1], after every "
    "statement. If the passages do not state the answer, say that the document does not state it, and cite "
    "the passages that come closest. Answer in the language of the question; quote names and values as written."
)


def passages_prompt(question: str, answer: Answer) -> str:
    blocks = []
    for n, hit in enumerate(answer.citations, 1):
        c = hit.chunk
        blocks.append(f"[{n}] {c.org} {c.affair} {c.form} | {c.section} > {c.item} (lines {c.lines[0]}-{c.lines[1]})\n"
                      f"{c.value or c.text}")
    return "Passages:\n\n" + "\n\n".join(blocks) + f"\n\nQuestion: {question}"


def cited(text: str, count: int) -> tuple[int, ...] | None:
    """The passage numbers a generated answer cites, or None if it cites nothing or a passage it was not given.

    >>> cited("日本電気株式会社大分支店です [1][2]", 3), cited("NEC [4]", 3), cited("NEC", 3)
    ((1, 2), None, None)
    """
    numbers = tuple(dict.fromkeys(int(m) for m in MARKER.findall(text)))
    if not numbers or any(n < 1 or n > count for n in numbers):
        return None
    return numbers


def generate(chat_model, extractive: Answer) -> Answer:
    """The chat model's answer when its citations check out, else the extractive answer unchanged."""
    from langchain_core.messages import HumanMessage, SystemMessage

    if extractive.status == NO_MATCH or not extractive.citations:
        return extractive
    reply = chat_model.invoke([SystemMessage(SYSTEM), HumanMessage(passages_prompt(extractive.question, extractive))])
    text = reply.content if isinstance(reply.content, str) else str(reply.content)
    numbers = cited(text, len(extractive.citations))
    if numbers is None:
        log.warning("generated answer rejected (no valid [n] citation): %.80s", text)
        return extractive
    citations = tuple(extractive.citations[n - 1] for n in numbers)
    rest = tuple(h for h in extractive.citations if h not in citations)
    return replace(extractive, answer=text.strip(), citations=citations + rest, generated=True)


def chat_model(spec: str, base_url: str | None = None):
    """A LangChain chat model from "openai:MODEL" (any OpenAI-compatible endpoint) or "ollama:MODEL"."""
    provider, _, model = spec.partition(":")
    if not model:
        raise PiaqaError(f"PIAQA_LLM={spec!r}: write it as openai:MODEL or ollama:MODEL")
    try:
        if provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(model=model, base_url=base_url, temperature=0)
        if provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=model, base_url=base_url, temperature=0) if base_url else ChatOllama(model=model, temperature=0)
    except ImportError as exc:
        raise PiaqaError(f"the {provider} chat integration is not installed: pip install -e \".[llm]\"") from exc
    raise PiaqaError(f"unknown LLM provider {provider!r} in {spec!r}: use openai:MODEL or ollama:MODEL")


def answerer(llm: str = "", base_url: str | None = None):
    """`answer(index, question, **filters) -> Answer`: extractive, then written by the chat model `llm`
    ("openai:MODEL" / "ollama:MODEL") when one is given. The model is made once, here."""
    from .core import answer as extractive

    model = chat_model(llm, base_url) if llm else None

    def answer(index, question: str, **kw) -> Answer:
        result = extractive(index, question, **kw)
        return generate(model, result) if model else result

    return answer
