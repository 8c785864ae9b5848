"""answer: retrieved passages -> a short cited answer with a status."""
from .core import answer
from .result import ANSWERED, NO_MATCH, NOT_STATED, Answer

__all__ = ["ANSWERED", "NO_MATCH", "NOT_STATED", "Answer", "answer"]
