"""answer: retrieved passages -> a short cited answer with a status."""
from .core import ANSWERED, NO_MATCH, NOT_STATED, Answer, answer

__all__ = ["ANSWERED", "NO_MATCH", "NOT_STATED", "Answer", "answer"]
