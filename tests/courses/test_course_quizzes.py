"""Every lesson asks the learner to predict what the live model does, then check; a lesson's quiz may
join a GIFT file and a Markdown file (GIFT cannot express a model-graded question)."""
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.models import Lesson
from quizzes.models import Quiz
from quizzes.services.grading import latest_version_ids, versions_by_id

pytestmark = pytest.mark.django_db
COURSE = "transformers-attention"


def specs_of(quiz: Quiz) -> list[dict]:
    ids = list(quiz.questions.filter(is_deleted=False).order_by("position", "id").values_list("id", flat=True))
    by_question = {v.question_id: v.spec for v in versions_by_id(latest_version_ids(ids).values())}
    return [by_question[i] for i in ids]


def test_every_lesson_of_the_first_fifteen_has_a_model_graded_predict_then_check_question():
    call_command("load_course", verbosity=0)
    lessons = list(Lesson.objects.filter(course__slug=COURSE, position__lte=15).order_by("position"))
    assert len(lessons) == 15
    for lesson in lessons:
        specs = specs_of(Quiz.objects.get(lesson=lesson))
        attention = [spec for spec in specs if spec["qtype"] == "attention_token"]
        assert attention, lesson.slug
        assert all("predict" in spec["text"].lower() for spec in attention), lesson.slug
        # the GIFT questions keep their place, the model-graded one comes after them
        assert specs[-1]["qtype"] == "attention_token", lesson.slug


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(settings.COURSE_CONTENT_DIR, target)
    return target


def test_a_question_title_in_both_files_of_one_lesson_stops_the_load(content_copy):
    quizzes = content_copy / COURSE / "quizzes"
    gift = (quizzes / "01-why-attention.gift").read_text(encoding="utf-8")
    title = gift.split("::")[1]
    markdown = quizzes / "01-why-attention.md"
    markdown.write_text(markdown.read_text(encoding="utf-8").replace("## Q: Predict, then check", f"## Q: {title}"),
                        encoding="utf-8")
    with pytest.raises(CommandError, match=f"the question title '{title}' is already in 01-why-attention.gift"):
        call_command("load_course", "--content-dir", str(content_copy), verbosity=0)
    assert not Quiz.objects.exists()


def test_editing_only_the_markdown_half_updates_the_quiz(content_copy):
    call_command("load_course", "--content-dir", str(content_copy), verbosity=0)
    quiz = Quiz.objects.get(lesson__slug="why-attention")
    before = len(specs_of(quiz))
    markdown = content_copy / COURSE / "quizzes" / "01-why-attention.md"
    markdown.write_text(markdown.read_text(encoding="utf-8").replace("Predict first, then check in the lab.",
                                                                     "Predict first, then check it in the lab."),
                        encoding="utf-8")
    call_command("load_course", "--content-dir", str(content_copy), verbosity=0)
    specs = specs_of(quiz)
    assert len(specs) == before and "then check it in the lab" in specs[-1]["text"]
