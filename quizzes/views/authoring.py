"""Instructors' quiz pages: create a quiz for a lesson, its settings, the question list, the question
editor with live preview, the student preview, import and export.

Every view starts with a lookup that answers 404 unless the user may author the quiz's course.
"""
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.views.lookups import authored_course_or_404, lesson_in_course_or_404

from ..behaviours import behaviour_for
from ..forms.questions import QTYPES, QuestionEditor, lesson_headings
from ..forms.quiz import QuizImportForm, QuizSettingsForm
from ..models import Question, Quiz
from .. import permissions
from ..pools.preview import preview_seed, sample_draw, sample_items_assign
from ..previews import import_preview_rows, question_preview_context, quiz_preview_check, quiz_preview_items
from ..selectors_authoring import question_rows_for_quiz, quizzes_of_lesson
from ..services import importing, questions


# A second identical "Add question" from the same person within this time is the same question.
REPEAT_WINDOW = timedelta(seconds=30)


def authored_quiz_or_404(request: HttpRequest, quiz_id: int) -> Quiz:
    """Quizzes a user cannot author are not even acknowledged (404, not 403): quizzes.permissions' one check."""
    return permissions.authored_quiz_or_404(request.user, quiz_id)


def _question_or_404(quiz: Quiz, question_id: int) -> Question:
    return get_object_or_404(Question, pk=question_id, quiz=quiz, is_deleted=False)


def _quiz_url(quiz: Quiz, anchor: str = "") -> str:
    return reverse("quiz_authoring:quiz", kwargs={"quiz_id": quiz.pk}) + (f"#{anchor}" if anchor else "")


def _editor(quiz: Quiz, qtype: str, data=None, spec: dict | None = None) -> QuestionEditor:
    return QuestionEditor(qtype, data=data, spec=spec, headings=lesson_headings(quiz.lesson), lesson_title=quiz.lesson.title)


def _qtype_or_404(qtype: str) -> str:
    if qtype not in QTYPES:
        raise Http404("No such question type.")
    return qtype


@require_GET
def lesson_quizzes(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    quizzes = quizzes_of_lesson(lesson=lesson)
    return render(request, "quizzes/authoring/lesson_quizzes.html", {"course": course, "lesson": lesson, "quizzes": quizzes})


@require_http_methods(["GET", "POST"])
def quiz_create(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    course = authored_course_or_404(request, course_slug)
    lesson = lesson_in_course_or_404(course, lesson_slug)
    form = QuizSettingsForm(request.POST or None, instance=Quiz(lesson=lesson, title=f"Quiz: {lesson.title}"))
    if request.method == "POST" and form.is_valid():
        quiz = form.save()
        messages.success(request, f"Created “{quiz.title}” as a draft. Add questions, then publish it.")
        return redirect(_quiz_url(quiz))
    return render(request, "quizzes/authoring/quiz_settings.html", {"course": course, "lesson": lesson, "form": form, "quiz": None})


@require_GET
def quiz_manage(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "rows": question_rows_for_quiz(quiz=quiz), "qtypes": QTYPES}
    return render(request, "quizzes/authoring/quiz_manage.html", context)


@require_http_methods(["GET", "POST"])
def quiz_settings(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    form = QuizSettingsForm(request.POST or None, instance=quiz)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved the settings of “{quiz.title}”.")
        return redirect(_quiz_url(quiz))
    context = {"course": quiz.lesson.course, "lesson": quiz.lesson, "form": form, "quiz": quiz}
    return render(request, "quizzes/authoring/quiz_settings.html", context)


@require_POST
def quiz_publish(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    publish = request.POST.get("publish") == "1"
    if publish and not Question.objects.filter(quiz=quiz, is_deleted=False).exists() and not quiz.random_slots.exists():
        messages.error(request, "Add at least one question before publishing: students cannot start an empty quiz.")
        return redirect(_quiz_url(quiz))
    Quiz.objects.filter(pk=quiz.pk).update(is_published=publish)
    if publish:
        messages.success(request, f"“{quiz.title}” is published: enrolled students can take it.")
    else:
        messages.success(request, f"“{quiz.title}” is now a draft, hidden from students. Their attempts are kept.")
    return redirect(_quiz_url(quiz))


@require_http_methods(["GET", "POST"])
def quiz_preview(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """The quiz as a student sees it; "Check answers" grades what the instructor tried, saving nothing.
    Random slots show one sample draw, reproducible from `?draw=<seed>` and recorded nowhere."""
    quiz = authored_quiz_or_404(request, quiz_id)
    seed = preview_seed(request.GET.get("draw"))
    sample = sample_draw(quiz=quiz, seed=seed)
    items = quiz_preview_items(quiz=quiz, drawn=[pk for part in sample for pk in part.question_ids])
    checked = request.method == "POST"
    earned, possible = quiz_preview_check(items=items, data=request.POST, behaviour=behaviour_for(quiz)) if checked else (0.0, 0.0)
    fixed = sample_items_assign(sample=sample, items=items)
    context = {"quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "items": fixed, "sample": sample,
               "seed": seed, "checked": checked, "earned": f"{round(earned, 2):g}", "possible": f"{round(possible, 2):g}",
               "earned_percent": round(100 * earned / possible) if possible else None}
    return render(request, "quizzes/authoring/quiz_preview.html", context)


def _editor_page(request: HttpRequest, quiz: Quiz, editor: QuestionEditor, question: Question | None, status: int = 200,
                 based_on: str = "") -> HttpResponse:
    context = {
        "based_on": based_on,
        "quiz": quiz,
        "lesson": quiz.lesson,
        "course": quiz.lesson.course,
        "editor": editor,
        "question": question,
        "latest": question.latest_version if question else None,
        "has_answers": bool(question and question.answers.exists()),
        **question_preview_context(editor),
    }
    return render(request, "quizzes/authoring/question_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def question_create(request: HttpRequest, quiz_id: int, qtype: str) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    editor = _editor(quiz, _qtype_or_404(qtype), request.POST or None)
    if request.method == "POST" and editor.is_valid():
        try:
            question = questions.question_create(quiz=quiz, spec=editor.spec, user=request.user, repeat_window=REPEAT_WINDOW)
        except ValidationError as error:
            editor.add_spec_errors(error)
        else:
            messages.success(request, f"Added question {editor.spec.get('title') or ''}".rstrip() + ".")
            return redirect(_quiz_url(quiz, f"question-{question.pk}"))
    return _editor_page(request, quiz, editor, None)


@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    question = _question_or_404(quiz, question_id)
    latest = question.latest_version
    if latest is None:
        raise Http404("This question has no content.")
    editor = _editor(quiz, latest.qtype, request.POST or None, latest.spec)
    # The content this form started from; a save based on older content is refused (two tabs, two people).
    based_on = request.POST.get("based_on") or questions.spec_fingerprint(latest.spec)
    if request.method == "POST" and editor.is_valid():
        try:
            version = questions.question_update(question=question, spec=editor.spec, user=request.user, based_on=based_on)
        except ValidationError as error:
            editor.add_spec_errors(error)
            if error.code == "stale":
                based_on = questions.spec_fingerprint(latest.spec)  # saving again now replaces theirs, knowingly
        else:
            if version.number != latest.number:
                messages.success(request, f"Saved as version {version.number}. Finished attempts keep version {latest.number} until you regrade.")
            else:
                messages.success(request, "Saved the question.")
            return redirect(_quiz_url(quiz, f"question-{question.pk}"))
    return _editor_page(request, quiz, editor, question, based_on=based_on)


@require_POST
def question_preview(request: HttpRequest, quiz_id: int, qtype: str) -> HttpResponse:
    """The live preview: the editor's current fields rendered as a student will see them, or what is wrong."""
    quiz = authored_quiz_or_404(request, quiz_id)
    # When editing, the stored spec supplies what the form does not show (text formats of imported
    # questions), so the preview renders exactly what saving would store.
    original = None
    question_id = request.POST.get("question_id", "")
    if question_id.isdigit():
        question = Question.objects.filter(pk=int(question_id), quiz=quiz, is_deleted=False).first()
        latest = question.latest_version if question else None
        original = latest.spec if latest and latest.qtype == qtype else None
    editor = _editor(quiz, _qtype_or_404(qtype), request.POST, original)
    editor.is_valid()
    return render(request, "quizzes/authoring/partials/question_preview.html", question_preview_context(editor))


@require_POST
def question_duplicate(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    copy = questions.question_duplicate(question=_question_or_404(quiz, question_id), user=request.user)
    messages.success(request, "Duplicated the question; the copy is right below the original.")
    return redirect(_quiz_url(quiz, f"question-{copy.pk}"))


@require_POST
def question_delete(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    question = _question_or_404(quiz, question_id)
    title = str(question)
    questions.question_delete(question=question)
    messages.success(request, f"Deleted “{title}”. Attempts that answered it keep it in their review.")
    return redirect(_quiz_url(quiz, "questions"))


@require_POST
def question_move(request: HttpRequest, quiz_id: int, question_id: int) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    question = _question_or_404(quiz, question_id)
    questions.question_move(question=question, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(_quiz_url(quiz, f"question-{question.pk}"))


@require_http_methods(["GET", "POST"])
def quiz_import(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """Upload or paste → a preview of what would be imported → "Import N questions" imports it, all or nothing."""
    quiz = authored_quiz_or_404(request, quiz_id)
    form = QuizImportForm(request.POST or None, request.FILES or None)
    preview: list[dict] = []
    rejected: dict | None = None
    if request.method == "POST" and form.is_valid():
        source, fmt = form.cleaned_data["source"], form.cleaned_data["fmt"]
        try:
            if request.POST.get("confirm") == "1":
                imported = importing.quiz_import_text(quiz=quiz, text=source, fmt=fmt, user=request.user)
                messages.success(request, f"Imported {len(imported)} question{'s' if len(imported) != 1 else ''} into “{quiz.title}”.")
                return redirect(_quiz_url(quiz, "questions"))
            preview = import_preview_rows(importing.quiz_text_parse(text=source, fmt=fmt))
        except importing.ImportRejected as error:
            where = f"Line {error.line}: " if error.line else ""
            form.add_error(None, f"{where}{error.message}. Nothing was imported; fix the file and try again.")
            rejected = _rejected_import(form, source, fmt, error.line)
    context = {
        "quiz": quiz, "lesson": quiz.lesson, "course": quiz.lesson.course, "form": form, "preview": preview,
        "source": form.cleaned_data.get("source", "") if preview else "", "fmt": form.cleaned_data.get("fmt", "") if preview else "",
        "rejected": rejected,
    }
    return render(request, "quizzes/authoring/quiz_import.html", context)


def _rejected_import(form: QuizImportForm, source: str, fmt: str, line: int) -> dict:
    """What the page shows beside a refused import: the offending line, and the text kept for fixing.

    A browser never re-fills a file field, so an uploaded file's text goes into the paste box (and
    its format into the format choice): the author can fix the line there, or choose the file again.
    """
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    from_file = bool(form.cleaned_data.get("upload"))
    if from_file:
        form.data = form.data.copy()
        form.data["text"], form.data["fmt"] = source, fmt
    return {
        "line": line,
        "text": lines[line - 1] if 0 < line <= len(lines) else "",
        "from_file": from_file,
        "file_name": form.cleaned_data["upload"].name if from_file else "",
    }


@require_GET
def quiz_export(request: HttpRequest, quiz_id: int, fmt: str) -> HttpResponse:
    quiz = authored_quiz_or_404(request, quiz_id)
    if fmt not in importing.FORMATS:
        raise Http404("No such format.")
    try:
        text = importing.quiz_export_text(quiz=quiz, fmt=fmt)
    except ValueError as error:  # a Markdown text the format cannot hold (GIFT and Moodle XML leave such questions out)
        messages.error(request, f"This quiz cannot be exported as {_EXPORTS[fmt][0]}: {error}.")
        return redirect(_quiz_url(quiz))
    name, extension, content_type = _EXPORTS[fmt]
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{quiz.lesson.slug}-{quiz.slug}.{extension}"'
    return response


# Export formats: (name, file extension, content type).
_EXPORTS = {"gift": ("GIFT", "gift", "text/plain"), "markdown": ("Markdown", "md", "text/markdown"),
            "moodlexml": ("Moodle XML", "xml", "application/xml")}
