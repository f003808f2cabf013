"""One module per question type behind one registry (see registry.py and base.py)."""
from .base import QuestionType
from .ids import PublicIds
from .registry import all_qtypes, choice_frequencies, correct_response, grade, public_view, qtype_for

__all__ = ["PublicIds", "QuestionType", "all_qtypes", "choice_frequencies", "correct_response", "grade", "public_view", "qtype_for"]
