"""Right answers to the course's own quizzes score (issue 12, item 7): each learner's answer that was
scored 0, graded against the question as the course's GIFT file defines it. Options are picked by
their text, never by an authored id."""
from functools import cache

import pytest
from django.conf import settings

from quizzes.qtypes import grade
from quizzes.domain.gift import parse_gift

QUIZZES = settings.COURSE_CONTENT_DIR / "transformers-attention" / "quizzes"


@cache
def _specs() -> dict[int, dict[str, dict]]:
    """lesson number -> {question title's first word(s) ("Q7", "Quick Quiz 2") -> spec as JSON}."""
    specs: dict[int, dict[str, dict]] = {}
    for path in sorted(QUIZZES.glob("*.gift")):
        for parsed in parse_gift(path.read_text(encoding="utf-8")):
            title = parsed.spec.title
            key = " ".join(title.split(" ")[:3]) if title.startswith("Quick Quiz") else title.split(" ", 1)[0]
            specs.setdefault(int(path.name[:2]), {})[key] = parsed.spec.to_json()
    return specs


@pytest.fixture
def course_specs():
    return _specs()


@pytest.mark.parametrize(("lesson", "question", "typed"), [
    (5, "Q7", {"text": "W^O"}),
    (5, "Q7", {"text": "W^{O}"}),
    (6, "Q7", {"text": "−∞"}),
    (8, "Q7", {"value": "15%"}),
    (8, "Q7", {"value": "14"}),
    (1, "Q6", {"text": "softmax function"}),
    (3, "Q8", {"text": "F.scaled_dot_product_attention()"}),
    (12, "Q7", {"text": "integrated-gradients"}),
])
def test_a_right_answer_gets_full_marks(course_specs, lesson, question, typed):
    assert grade(course_specs[lesson][question], typed).fraction == 1.0


def test_a_wrong_answer_still_scores_nothing(course_specs):
    assert grade(course_specs[6]["Q7"], {"text": "∞"}).fraction == 0.0
    assert grade(course_specs[8]["Q7"], {"value": "50%"}).fraction == 0.0


def _quick_quiz_2(course_specs) -> dict:
    return next(specs["Quick Quiz 2"] for specs in course_specs.values() if "Quick Quiz 2" in specs)


def test_quick_quiz_2_gives_the_simultaneously_option_partial_credit_as_its_feedback_says(course_specs):
    spec = _quick_quiz_2(course_specs)
    option = next(c for c in spec["choices"] if c["text"].endswith("input data simultaneously."))
    result = grade(spec, {"choice": option["id"]})
    assert 0 < result.fraction < 1 and result.state == "partial"
    assert "not false in itself" in result.feedback[0].text


def test_quick_quiz_2_feedback_never_names_an_option_by_letter(course_specs):
    spec = _quick_quiz_2(course_specs)
    texts = [spec.get("general_feedback", "")] + [c.get("feedback", "") for c in spec["choices"]]
    for text in texts:
        assert "option B" not in text and "Options A and B" not in text and "B is" not in text, text
