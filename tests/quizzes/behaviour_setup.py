"""A quiz with hints and a penalty, for the behaviour tests: Softmax is right, ReLU and Tanh are wrong."""
from quizzes.services.questions import question_create
from tests.conftest import QUESTION_SPECS

HINTS = ["SECRET-HINT-one: it turns scores into probabilities.", "SECRET-HINT-two: its outputs sum to one."]


def hinted_quiz(make_quiz, cast, *, behaviour: str, hints=HINTS, penalty: float = 0.25, qtypes=(), **settings):
    quiz = make_quiz(qtypes=qtypes, behaviour=behaviour, **settings)
    question_create(quiz=quiz, spec=dict(QUESTION_SPECS["single_choice"], hints=list(hints), penalty=penalty),
                    user=cast.instructor)
    return quiz


RIGHT, WRONG, OTHER_WRONG = {"choice": "b"}, {"choice": "a"}, {"choice": "c"}
