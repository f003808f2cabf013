"""The course's own quizzes: every lesson has a real quiz, seed 000's Quick Quiz is there verbatim,
and load_course loads them idempotently (editing a file adds question versions)."""
import re
import shutil
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from courses.markdown import render_markdown_with_toc
from courses.models import Lesson
from quizzes.qtypes import correct_response, grade
from quizzes.models import Question, QuestionVersion, Quiz
from quizzes.services import attempts as attempt_services
from tests.factories import enroll

pytestmark = pytest.mark.django_db
COURSE = "transformers-attention"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
SEE = re.compile(r"See\\?:\s*(?P<lesson>[^›)]+?)\s*›\s*(?P<section>(?:[^()]|\([^()]*\))+?)\s*\)")


def load(content_dir: Path | None = None) -> str:
    out = StringIO()
    call_command("load_course", *(["--content-dir", str(content_dir)] if content_dir else []), stdout=out)
    return out.getvalue()


def latest_specs(quiz: Quiz) -> list[dict]:
    questions = Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position")
    return [q.latest_version.spec for q in questions]


def headings(markdown: str) -> set[str]:
    _, toc = render_markdown_with_toc(markdown)
    names: set[str] = set()

    def walk(tokens):
        for token in tokens:
            names.add(" ".join(re.sub(r"<[^>]+>", "", token["name"]).replace("&amp;", "&").casefold().split()))
            walk(token.get("children", []))

    walk(toc)
    return names


def test_every_lesson_has_a_published_quiz_of_five_or_more_questions_of_three_or_more_types():
    load()
    quizzes = {quiz.lesson.slug: quiz for quiz in Quiz.objects.filter(lesson__course__slug=COURSE).select_related("lesson")}
    lessons = list(Lesson.objects.filter(course__slug=COURSE))
    assert lessons and {lesson.slug for lesson in lessons} == set(quizzes)
    for slug, quiz in quizzes.items():
        specs = latest_specs(quiz)
        types = Counter(spec["qtype"] for spec in specs)
        assert quiz.is_published, slug
        assert len(specs) >= 5, slug
        assert len(types) >= 3, (slug, types)
        assert set(types) - {"single_choice"}, slug  # not only multiple choice


def test_every_question_explains_itself_and_points_at_a_real_section_of_its_lesson():
    load()
    for quiz in Quiz.objects.filter(lesson__course__slug=COURSE).select_related("lesson"):
        sections = headings(quiz.lesson.body_markdown)
        for spec in latest_specs(quiz):
            explanation = " ".join(filter(None, [spec.get("general_feedback"), spec.get("explanation")]))
            assert len(explanation) > 40, (quiz.lesson.slug, spec["title"])
            match = SEE.search(explanation)
            assert match, (quiz.lesson.slug, spec["title"], "no '(See: Lesson › Section)'")
            section = " ".join(match["section"].replace("\\:", ":").casefold().split())
            assert section in sections, (quiz.lesson.slug, spec["title"], section)


def test_every_right_answer_earns_full_marks():
    load()
    for version in QuestionVersion.objects.filter(question__quiz__lesson__course__slug=COURSE):
        right = correct_response(version.spec)
        if right is not None:
            assert grade(version.spec, right).fraction == 1.0, version.spec["title"]


def seed_quick_quiz() -> list[tuple[str, list[str]]]:
    text = next(SEED.glob("000*")).read_text(encoding="utf-8")
    block = text.split("Quick Quiz", 1)[1]
    questions = []
    for match in re.finditer(r"^\d+\.\s*(?P<q>.+?)\n\n(?P<opts>(?:[A-D]\)\s*.+\n?)+)", block, re.M):
        options = [re.sub(r"^[A-D]\)\s*", "", line).strip() for line in match["opts"].strip().splitlines()]
        questions.append((match["q"].strip(), options))
    return questions


@pytest.mark.skipif(not SEED.is_dir(), reason="no ../shared/seeds")
def test_the_seed_quick_quiz_appears_verbatim_graded_b_b_a():
    load()
    seed = seed_quick_quiz()
    assert len(seed) == 3 and all(len(options) == 4 for _, options in seed)
    specs = [spec for quiz in Quiz.objects.filter(lesson__course__slug=COURSE) for spec in latest_specs(quiz)]
    for (question, options), letter in zip(seed, "BBA"):
        spec = next(s for s in specs if s["text"] == question)
        assert spec["qtype"] == "single_choice"
        assert [c["text"] for c in spec["choices"]] == options
        right = [c["text"] for c in spec["choices"] if c["fraction"] == 1.0]
        assert right == [options["ABCD".index(letter)]]


def test_loading_twice_changes_nothing_and_editing_a_file_adds_a_version(tmp_path, cast):
    content = tmp_path / "content"
    shutil.copytree(settings.COURSE_CONTENT_DIR, content)
    load(content)
    before = list(QuestionVersion.objects.order_by("id").values_list("id", "spec"))
    second = load(content)
    assert list(QuestionVersion.objects.order_by("id").values_list("id", "spec")) == before
    assert second.startswith("0 created, 0 updated,"), second

    # A student attempts the first lesson's quiz, then the author fixes a typo in its file.
    quiz_file = sorted((content / COURSE / "quizzes").glob("01-*"))[0]
    quiz = Quiz.objects.get(lesson__course__slug=COURSE, lesson__position=1)
    enroll(cast.student, quiz.lesson.course)
    attempt = attempt_services.attempt_start(quiz=quiz, user=cast.student)
    attempt_services.attempt_submit(attempt=attempt)
    first = Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position").first()
    old_text = first.latest_version.spec["text"]
    source = quiz_file.read_text(encoding="utf-8")
    assert old_text.split("\n")[0][:30] in source
    quiz_file.write_text(source.replace(old_text.split("\n")[0][:30], old_text.split("\n")[0][:30] + " (edited)", 1), encoding="utf-8")
    load(content)
    first.refresh_from_db()
    assert first.versions.count() == 2 and "(edited)" in first.latest_version.spec["text"]
    assert attempt.answers.get(question=first).version.number == 1  # the finished attempt keeps its version
    assert load(content).startswith("0 created, 0 updated,")


def test_a_broken_quiz_file_stops_the_load_with_file_and_line(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.COURSE_CONTENT_DIR, content)
    quiz_file = sorted((content / COURSE / "quizzes").glob("02-*"))[0]
    quiz_file.write_text(quiz_file.read_text(encoding="utf-8") + "\n\n::Broken::What? {=a ~%35%b ~c}\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        load(content)
    assert quiz_file.name in str(error.value) and "not one of the grades Moodle accepts" in str(error.value)
    assert not Quiz.objects.exists()  # nothing half-loaded


def test_a_lesson_quiz_may_be_written_in_the_markdown_format(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(settings.COURSE_CONTENT_DIR, content)
    quizzes = content / COURSE / "quizzes"
    gift = sorted(quizzes.glob("01-*.gift"))[0]
    slug = gift.stem.split("-", 1)[1]
    gift.unlink()
    (quizzes / f"01-{slug}.md").write_text(
        "# A Markdown quiz\n\n## Q: Two\nHow many?\n\nanswer: 2\n\n## Q: Pick\nWhich?\n\n- [x] this\n- [ ] that\n",
        encoding="utf-8")
    load(content)
    quiz = Quiz.objects.get(lesson__slug=slug)
    assert [spec["qtype"] for spec in latest_specs(quiz)] == ["numeric", "single_choice"]
    (quizzes / "99-no-such-lesson.gift").write_text("::a::b{T}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no lesson with slug 'no-such-lesson'"):
        load(content)
