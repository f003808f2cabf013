"""Deferred feedback: answers are saved during the attempt and graded only when it is submitted."""
from .base import QuestionBehaviour


class Deferred(QuestionBehaviour):
    name = "deferred"
    label = "Deferred feedback"
    description = "Learners answer every question, then submit; marks and feedback come with the review."
