"""One module per quiz behaviour (how questions act during an attempt) behind one registry."""
from .base import Outcome, QuestionBehaviour
from .registry import all_behaviours, behaviour_for

__all__ = ["Outcome", "QuestionBehaviour", "all_behaviours", "behaviour_for"]
