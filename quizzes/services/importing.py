"""Quizzes in and out of text: GIFT, the Markdown quiz format, Moodle XML, and the course's own quiz files.

Every import is all or nothing: the whole text is parsed and validated before the first question is
written, and the writes share one transaction.
"""
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from courses.content import ContentError
from courses.models import Course

from .. import domain
from ..domain.gift_writer import write_gift_file
from ..domain.moodle_xml_reading import parse_moodle_xml
from ..domain.moodle_xml_writing import write_moodle_xml
from ..domain.control_characters import text_without_control_characters
from ..models import Question, Quiz
from . import grading
from .questions import question_create, question_delete, question_update

FORMATS = ("gift", "markdown", "moodlexml")
_READERS = {"gift": domain.parse_gift, "markdown": domain.parse_markdown_quiz, "moodlexml": parse_moodle_xml}
_WRITERS = {"gift": write_gift_file, "markdown": domain.write_markdown_quiz, "moodlexml": write_moodle_xml}
_QUIZ_FILE = re.compile(r"^\d+-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<ext>gift|md)$")
# One import is one transaction: a question bank of a thousand questions takes a few seconds, while
# 40,000 one-line GIFT questions (under 1 MiB) held a request and its transaction for minutes.
MAX_IMPORT_QUESTIONS = 1000


class ImportRejected(Exception):
    """The text cannot be imported; nothing was. `line` is 1-based (0 when no line applies)."""

    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}")

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def quiz_text_parse(*, text: str, fmt: str) -> list[dict]:
    """Parse and validate a whole file into spec JSON dicts, or raise ImportRejected for the first problem."""
    if fmt not in FORMATS:
        raise ImportRejected(0, f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    # Control characters (NUL above all: PostgreSQL refuses it) never reach a spec; lines stay where they were.
    parsed = _parse_text(text_without_control_characters(text), fmt)  # raises ImportRejected with the parser's line
    if not parsed:
        raise ImportRejected(1, "no questions found")
    if len(parsed) > MAX_IMPORT_QUESTIONS:
        raise ImportRejected(parsed[MAX_IMPORT_QUESTIONS][0], f"the file holds {len(parsed):,} questions; import at most "
                             f"{MAX_IMPORT_QUESTIONS:,} at a time (split the file)")
    specs = []
    for line, spec in parsed:
        try:
            specs.append(grading.spec_clean(spec))
        except ValidationError as error:
            raise ImportRejected(line, getattr(error, "reason", "; ".join(error.messages))) from None
    return specs


def _parse_text(text: str, fmt: str) -> list[tuple[int, "domain.QuestionSpec"]]:
    try:
        parsed = _READERS[fmt](text)
    except domain.QuizTextError as error:  # GIFT's, Markdown's or Moodle XML's: each says the line and why
        raise ImportRejected(error.line, error.message) from None
    return [(item.line, item.spec) for item in parsed]


def quiz_import_text(*, quiz: Quiz, text: str, fmt: str, user: User | None) -> list[Question]:
    """Append the questions of a GIFT, Markdown or Moodle XML quiz file to `quiz`, all or nothing."""
    specs = quiz_text_parse(text=text, fmt=fmt)
    with transaction.atomic():
        return [question_create(quiz=quiz, spec=spec, user=user) for spec in specs]


def quiz_export_text(*, quiz: Quiz, fmt: str) -> str:
    """The latest version of every live question, in quiz order, as GIFT or Markdown.

    GIFT and Moodle XML leave out what they cannot express and say so in a header comment; Markdown writes every
    type, so a ValueError from it is a text the format cannot hold (the caller says which).
    """
    questions = Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id")
    latest = grading.versions_by_id(grading.latest_version_ids([q.id for q in questions]).values())
    specs_by_question = {version.question_id: version.spec for version in latest}
    specs = [specs_by_question[q.id] for q in questions if q.id in specs_by_question]
    objects = [domain.spec_from_json(spec) for spec in specs]
    return _WRITERS[fmt](objects)


# --- The course's quiz files (courses/content/<course>/quizzes/NN-<lesson-slug>.gift) --------------


@dataclass(frozen=True)
class QuizSource:
    path: Path
    lesson_slug: str
    specs: list[dict]
    source_hash: str


COURSE_QUIZ_SLUG = "quiz"


def course_quizzes_read(*, folder: Path, lesson_slugs: set[str]) -> list[QuizSource]:
    """Parse and validate every quiz file of a course folder; problems are ContentErrors (file, line, reason)."""
    sources = []
    for path in sorted((folder / "quizzes").glob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        match = _QUIZ_FILE.match(path.name)
        if not match:
            raise ContentError(path, 0, "quiz files are named NN-<lesson-slug>.gift or NN-<lesson-slug>.md")
        if match["slug"] not in lesson_slugs:
            raise ContentError(path, 0, f"no lesson with slug {match['slug']!r} for this quiz")
        raw = path.read_text(encoding="utf-8")
        fmt = "gift" if match["ext"] == "gift" else "markdown"
        try:
            specs = quiz_text_parse(text=raw, fmt=fmt)
        except ImportRejected as error:
            raise ContentError(path, error.line, error.message) from None
        sources.append(QuizSource(path, match["slug"], specs, hashlib.sha256(raw.encode("utf-8")).hexdigest()))
    return _one_source_per_lesson(sources)


def _one_source_per_lesson(sources: list[QuizSource]) -> list[QuizSource]:
    """GIFT cannot hold a model-graded question, so a lesson's quiz may come from NN-slug.gift plus
    NN-slug.md: one quiz, the GIFT questions first (files are read in name order)."""
    merged: dict[str, QuizSource] = {}
    for source in sources:
        first = merged.get(source.lesson_slug)
        if first is None:
            merged[source.lesson_slug] = source
            continue
        titles = {spec["title"] for spec in first.specs}
        clash = next((spec["title"] for spec in source.specs if spec["title"] in titles), None)
        if clash is not None:
            raise ContentError(source.path, 0, f"the question title {clash!r} is already in {first.path.name}")
        combined = hashlib.sha256((first.source_hash + source.source_hash).encode("ascii")).hexdigest()
        merged[source.lesson_slug] = QuizSource(first.path, source.lesson_slug, first.specs + source.specs, combined)
    return list(merged.values())


def course_quizzes_load(*, course: Course, sources: list[QuizSource]) -> tuple[list[str], list[str], list[str]]:
    """Create or update each lesson's quiz from its file. Returns (created, updated, unchanged) labels.

    Unchanged files are skipped. A changed file updates questions matched by title (a new version
    when attempts used the old one, so finished attempts keep theirs), adds new ones, and hides
    questions no longer in the file.
    """
    created, updated, unchanged = [], [], []
    lessons = {lesson.slug: lesson for lesson in course.lessons.all()}
    for source in sources:
        lesson = lessons[source.lesson_slug]
        label = f"quiz {course.slug}/{source.lesson_slug}"
        quiz = Quiz.objects.filter(lesson=lesson, slug=COURSE_QUIZ_SLUG).first()
        if quiz is not None and quiz.source_hash == source.source_hash:
            unchanged.append(label)
            continue
        if quiz is None:
            quiz = Quiz.objects.create(
                lesson=lesson,
                slug=COURSE_QUIZ_SLUG,
                title=f"Check your understanding: {lesson.title}",
                intro_markdown="A short quiz on this lesson. Take it as often as you like: your best attempt counts.",
                is_published=True,
                attempts_allowed=0,
                grading_method="highest",
                pass_percent=60,
                shuffle_questions=False,
                shuffle_choices=True,
            )
            created.append(label)
        else:
            updated.append(label)
        _sync_questions(quiz, source.specs)
        Quiz.objects.filter(pk=quiz.pk).update(source_hash=source.source_hash)
    return created, updated, unchanged


def _sync_questions(quiz: Quiz, specs: list[dict]) -> None:
    existing = {}
    for question in Question.objects.filter(quiz=quiz, is_deleted=False).order_by("position", "id"):
        latest = question.latest_version
        key = (latest.spec.get("title") or "") if latest else ""
        existing.setdefault(key, (question, latest))
    kept = set()
    for position, spec in enumerate(specs, start=1):
        key = spec.get("title") or ""
        if key and key in existing and existing[key][0].id not in kept:
            question, latest = existing[key]
            if latest is None or latest.spec != spec:
                question_update(question=question, spec=spec, user=None)
        else:
            question = question_create(quiz=quiz, spec=spec, user=None)
        kept.add(question.id)
        Question.objects.filter(pk=question.pk).update(position=position)
    for question, _ in existing.values():
        if question.id not in kept:
            question_delete(question=question)
