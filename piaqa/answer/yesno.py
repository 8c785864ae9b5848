"""Yes/no answers: from the typed value of the item a question is about (a selected option it names, the
tick of a box it names), else from the sentence that decides it."""
from __future__ import annotations

from ..forms import FORM_TYPES
from ..models import Chunk
from ..parse.fields import split_options
from ..schema import by_key
from ..text import compact, is_placeholder
from ..tokenize import tokens
from .extract import best_sentence, plain, polarity

YESNO_REASON = 36  # characters of the deciding sentence kept beside はい/いいえ


def _one_of(question: str, text: str, alternatives) -> str | None:
    """'Is it X?' where X is one of mutually exclusive alternatives and the text states another: that
    other (the question's premise is wrong: いいえ)."""
    asked = [a for a in alternatives if compact(a) in compact(question)]
    stated = [a for a in alternatives if compact(a) in compact(text)]
    if len(asked) == 1 and stated and asked[0] not in stated:
        return stated[0]
    return None


def extract_yes_no(chunk: Chunk, question: str, topic: set[str]) -> str | None:
    """はい/いいえ with the sentence that decides it (a selected option decides by itself; a question
    naming another option, or another form type than the document's, is answered いいえ)."""
    other = _one_of(question, chunk.selected, split_options(chunk.text)[1]) if chunk.selected else None
    about_cover = chunk.key is None or chunk.key.startswith("cover.")  # "is it a 全項目評価書?" asks the cover
    if other or (about_cover and chunk.form and _one_of(question, chunk.form, FORM_TYPES)):
        return f"いいえ (No): {other or chunk.form}"
    if chunk.selected:  # the typed value decides, for a question about this item
        return chunk.selected if about_item(chunk, question, topic) else None
    if chunk.key and by_key(chunk.key).type == "ticks":
        return ticked_or_not(chunk, question)
    value = plain(chunk)
    if is_placeholder(value):
        return None
    sentence = best_sentence(value, topic)
    if not set(tokens(sentence)) & {t for t in topic if len(t) >= 2}:
        return None  # a sentence that shares no word with the question decides nothing
    clause = sentence if len(sentence) <= YESNO_REASON else sentence[:YESNO_REASON] + "…"
    return f"{polarity(sentence)}: {clause}"  # the whole deciding sentence is the first citation


def about_item(chunk: Chunk, question: str, topic: set[str]) -> bool:
    """Whether a question is about a choice item: it shares a word of the item's label or names one of its
    options (a rating 十分である says nothing to "Does it keep my data after I move?").

    >>> c = Chunk("x", "d", None, None, None, "Ⅱ", "⑦再委託の有無", "itaku.subcontract", "[再委託する]", "", (1, 1), None,
    ...           False, selected="再委託する", value="[再委託する]")
    >>> about_item(c, "再委託している？", {"再", "委託", "する"}), about_item(c, "Is my data kept?", {"data", "kept"})
    (True, False)
    """
    label = {t for t in tokens(chunk.item) if len(t) >= 2}
    options = (by_key(chunk.key).options if chunk.key else ()) + split_options(chunk.text)[1]
    return bool(label & topic) or any(compact(o) in compact(question) for o in options if len(compact(o)) >= 2)


def ticked_or_not(chunk: Chunk, question: str) -> str | None:
    """A yes/no question about a box of a tick item: はい when the box it names is ticked, いいえ when it is
    not; None when it names none of the item's boxes (the item does not decide it).

    >>> c = Chunk("x", "d", None, None, None, "Ⅱ", "②入手方法", "acquire.method", "[○] 紙 [ ] 電子メール", "", (1, 1),
    ...           None, False, checked=("紙",), value="")
    >>> ticked_or_not(c, "紙で入手していますか"), ticked_or_not(c, "電子メールで受け取る？"), ticked_or_not(c, "Is it sent by fax?")
    ('はい (Yes): 紙', 'いいえ (No): 電子メール', None)
    """
    flat = compact(question)
    boxes = sorted({*by_key(chunk.key).options, *chunk.checked}, key=len, reverse=True)
    named = next((b for b in boxes if compact(b) and compact(b) in flat), None)
    if named is None:
        return None
    ticked = any(compact(c).startswith(compact(named)) for c in chunk.checked)
    return f"{'はい (Yes)' if ticked else 'いいえ (No)'}: {named}"
