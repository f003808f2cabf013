"""A seeded cohort of a few hundred learners, built in bulk, and the figures every progress page shows for it.

`figures()` captures the gradebook (HTML page and API), quiz reports, lesson report, admin dashboard
and their CSVs as plain JSON: ids become names and dates become "days before today", so the same
cohort gives the same figures on any day and on SQLite or PostgreSQL. Floats are rounded to 9
places: the pages show at most 2 decimals, and a sum taken in another order may differ in the last bit.
"""
import json
import random
import re
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrollment, Lesson, LessonProgress
from progress.models import EventKind, LearningEvent
from quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz

LEARNERS = 300
FIRST_NAMES = ["Émile", "émile", "Zoë", "zoe", "Ångström", "anna", "Anna", "Ölaf", "", "Bob", "bob", "Iris", "İlker", "Straße"]
LAST_NAMES = ["Strasse", "straße", "Ñandú", "O'Neil", "", "van Dijk", "Zed", "=SUM(1)", "Ünal"]
METHODS = ["highest", "average", "first", "last"]


def _spec(title: str, mark: float) -> dict:
    return {
        "qtype": "single_choice", "title": title, "text": title, "default_mark": mark,
        "choices": [{"id": "a", "text": "Wrong", "fraction": 0.0}, {"id": "b", "text": "Right", "fraction": 1.0},
                    {"id": "c", "text": "Half", "fraction": 0.5}],
    }


def _at(days_ago: int, rng: random.Random):
    """A moment on the local day `days_ago` before today, whatever the time now."""
    noon = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12)))
    return noon + timedelta(minutes=rng.randint(-600, 600))


def build_cohort(seed: int = 17) -> tuple[Course, list[Quiz], User]:
    rng = random.Random(seed)
    course = Course.objects.create(slug="seeded", title="Seeded course")
    admin = User.objects.create(username="seed-admin", is_staff=True, is_superuser=True)
    lessons = Lesson.objects.bulk_create(
        Lesson(course=course, slug=f"l{i}", title=f"Lesson {i}", position=i, is_published=i != 5) for i in range(1, 6)
    )
    quizzes = Quiz.objects.bulk_create(
        Quiz(lesson=lesson, slug="quiz", title=f"Check {lesson.position}: part {lesson.position}", is_published=lesson.position != 4,
             attempts_allowed=[3, 0, 2, 3, 0][lesson.position - 1], grading_method=METHODS[lesson.position % 4],
             pass_percent=[50, 60, 70, 55, 40][lesson.position - 1])
        for lesson in lessons
    )
    questions = Question.objects.bulk_create(Question(quiz=quiz, position=p) for quiz in quizzes for p in range(1, 5))
    quiz_number = {quiz.id: number for number, quiz in enumerate(quizzes, start=1)}
    versions = QuestionVersion.objects.bulk_create(
        QuestionVersion(question=q, number=1, spec=_spec(f"Q{q.position} of quiz {quiz_number[q.quiz_id]}", [1.0, 2.0, 1.0, 0.5][q.position - 1]))
        for q in questions
    )
    # The last question of the first quiz was deleted: its answers stay but leave the statistics.
    Question.objects.filter(pk=questions[3].pk).update(is_deleted=True)
    per_quiz: dict[int, list[tuple[Question, QuestionVersion]]] = {}
    for question, version in zip(questions, versions):
        per_quiz.setdefault(question.quiz_id, []).append((question, version))
    users = User.objects.bulk_create(
        User(username=f"learner{i:04d}", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES),
             email=f"l{i}@example.org")
        for i in range(LEARNERS)
    )
    enrolled = users[: LEARNERS - 10]  # the last ten attempted quizzes, then left the course
    Enrollment.objects.bulk_create(Enrollment(user=user, course=course) for user in enrolled)
    for enrollment in Enrollment.objects.filter(course=course):
        Enrollment.objects.filter(pk=enrollment.pk).update(created_at=_at(rng.randint(0, 45), rng))
    attempts, answer_plan, progress, events = [], [], [], []
    for index, user in enumerate(users):
        skill = rng.random()
        idle = index % 23 == 0  # enrolled, nothing started
        for lesson, quiz in zip(lessons, quizzes):
            if idle:
                continue
            day = rng.randint(0, 40)
            if rng.random() < 0.8:
                done = rng.random() < 0.7
                progress.append(LessonProgress(user=user, lesson=lesson, last_viewed_at=_at(day, rng), completed_at=_at(day, rng) if done else None))
                for _ in range(rng.randint(1, 3)):
                    events.append(LearningEvent(kind=EventKind.LESSON_VIEWED, user=user, course=course, lesson=lesson, occurred_at=_at(day, rng)))
                if done:
                    events.append(LearningEvent(kind=EventKind.LESSON_COMPLETED, user=user, course=course, lesson=lesson, occurred_at=_at(day, rng)))
            count = rng.choice([0, 1, 1, 2, 3])
            for number in range(1, count + 1):
                in_progress = number == count and rng.random() < 0.1
                pending = not in_progress and rng.random() < 0.05
                when = _at(max(0, day - number), rng)
                attempts.append(Attempt(quiz=quiz, user=user, number=number, state="in_progress" if in_progress else "submitted",
                                        shuffle_seed=number, submitted_at=None if in_progress else when, layout=[], needs_grading=pending))
                picks = []
                for position, (question, version) in enumerate(per_quiz[quiz.id]):
                    roll = rng.random()
                    choice = "b" if roll < skill else ("c" if roll < skill + 0.15 else "a")
                    fraction = {"a": 0.0, "b": 1.0, "c": 0.5}[choice]
                    picks.append((question, version, choice, None if in_progress or (pending and position == 2) else fraction))
                answer_plan.append(picks)
                if not in_progress:
                    events.append(LearningEvent(kind=EventKind.ATTEMPT_SUBMITTED, user=user, course=course, quiz=quiz, occurred_at=when))
        if index % 3 == 0:
            events.append(LearningEvent(kind=EventKind.LAB_USED, user=user, count=rng.randint(1, 4), occurred_at=_at(rng.randint(0, 35), rng)))
    attempts = Attempt.objects.bulk_create(attempts)
    answers = []
    for attempt, picks in zip(attempts, answer_plan):
        marks = sum((fraction or 0.0) * version.max_mark for _, version, _, fraction in picks)
        Attempt.objects.filter(pk=attempt.pk).update(
            marks=None if attempt.state == "in_progress" else marks, max_marks=sum(v.max_mark for _, v, _, _ in picks)
        )
        for question, version, choice, fraction in picks:
            answers.append(Answer(attempt=attempt, question=question, version=version, response={"choice": choice},
                                  fraction=fraction, marks=None if fraction is None else fraction * version.max_mark,
                                  state="needs_grading" if fraction is None and attempt.state == "submitted" else "graded"))
    Answer.objects.bulk_create(answers)
    LessonProgress.objects.bulk_create(progress)
    LearningEvent.objects.bulk_create(events)
    return course, quizzes, admin


# --- Figures ---------------------------------------------------------------------------------------

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain(value, names: dict):
    """JSON-ready: floats rounded, dates as days before today, ids of learners and quizzes as names."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {key: _plain(names.get((key, item), item) if key in ("user_id", "quiz_id", "id") else item, names) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item, names) for item in value]
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return f"today-{(timezone.localdate() - value).days}"
    if isinstance(value, str) and ISO_DATE.fullmatch(value):  # dates in API JSON, such as a chart's "start"
        return f"today-{(timezone.localdate() - datetime.fromisoformat(value).date()).days}"
    return value


def _csv(response) -> str:
    text = response.content.decode("utf-8")
    # Dates (the dashboard's per-day CSVs and file names) as days before today.
    return re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: f"today-{(timezone.localdate() - datetime.fromisoformat(m.group()).date()).days}", text)


def _stats(statistics) -> dict:
    return {
        "which": statistics.which,
        "test": {key: getattr(statistics.test, key) for key in ("attempts", "mean", "median", "standard_deviation", "cronbach_alpha", "histogram", "histogram_peak")},
        "questions": [
            {key: getattr(q, key) for key in ("number", "title", "max_mark", "responses", "facility", "standard_deviation", "discrimination", "discriminative_efficiency")}
            | {"choices": [[c.label, c.count, c.percent, c.right] for c in q.choices]}
            for q in statistics.questions
        ],
    }


def figures(client, course: Course, quizzes: list[Quiz]) -> dict:
    names = {("user_id", user_id): name for user_id, name in User.objects.values_list("id", "username")}
    names |= {("quiz_id", quiz.id): quiz.title for quiz in quizzes} | {("id", quiz.id): quiz.title for quiz in quizzes}
    sort_quiz = quizzes[1].pk
    book_url = reverse("progress:gradebook", args=[course.slug])
    api_url = reverse("progress_api:gradebook", args=[course.slug])
    csv_url = reverse("progress:gradebook_csv", args=[course.slug])
    out: dict = {"gradebook": {}, "gradebook_api": {}, "gradebook_csv": {}, "quiz_report": {}, "quiz_report_csv": {}}
    queries = {
        "by-name": "", "by-name-page-3": "?page=3", "by-quiz-failed": f"?sort=-quiz-{sort_quiz}&status=failed",
        "by-quiz-asc": f"?sort=quiz-{sort_quiz}", "by-average-desc": "?sort=-average", "by-status": "?sort=status",
        "passed-on-quiz": f"?status=passed&quiz={sort_quiz}", "not-started": "?status=not_started", "search": "?q=%C3%A9mile",
        "search-strasse": "?q=STRASSE&sort=-name",
    }
    for label, query in queries.items():
        response = client.get(book_url + query)
        page = response.context["page"]
        out["gradebook"][label] = {
            "count": page.paginator.count, "pages": page.paginator.num_pages,
            "rows": [[row.learner.username, row.learner.name, row.average, row.status, row.passed_count,
                      [[g.percent, g.state, g.attempts_used, g.attempts_left] for g in row.grades]] for row in page.object_list],
        }
        out["gradebook_api"][label] = _plain(client.get(api_url + query).json(), names)
        out["gradebook_csv"][label] = _csv(client.get(csv_url + query))
    for quiz in quizzes:
        if not quiz.is_published:
            continue
        for which in ("first", "all"):
            response = client.get(reverse("progress:quiz_report", args=[quiz.pk]) + f"?attempts={which}")
            report = response.context["report"]
            out["quiz_report"][f"{quiz.title} {which}"] = _plain({
                "statistics": _stats(report.statistics), "final_grades": report.final_grades,
                "learners_attempted": report.learners_attempted, "mean": report.mean_grade, "passed": report.passed,
                "pass_rate": report.pass_rate, "histogram": report.histogram(), "verdicts": [v for _, v in report.items],
            }, names)
            out["quiz_report_csv"][f"{quiz.title} {which}"] = _csv(client.get(reverse("progress:quiz_report_csv", args=[quiz.pk]) + f"?attempts={which}"))
    rows = client.get(reverse("progress:lesson_report", args=[course.slug])).context["rows"]
    out["lesson_report"] = [[r.lesson.title, r.enrolled, r.opened, r.completed, r.views] for r in rows]
    out["lesson_report_csv"] = _csv(client.get(reverse("progress:lesson_report_csv", args=[course.slug])))
    out["platform_api"] = {}
    for label, query in {"30 days": "", "range": f"?start={timezone.localdate() - timedelta(days=20)}&end={timezone.localdate() - timedelta(days=5)}"}.items():
        out["platform_api"][label] = _plain(client.get(reverse("progress_api:platform") + query).json(), names)
        for chart in ("enrollments", "active", "funnel", "pass-rates", "lab"):
            out.setdefault("platform_csv", {})[f"{label} {chart}"] = _csv(client.get(reverse("progress:platform_csv", args=[chart]) + query))
    response = client.get(reverse("progress:platform"))
    dashboard = response.context["dashboard"]
    out["platform_page"] = _plain({"active_7": dashboard.active_7_days, "active_30": dashboard.active_30_days,
                                   "funnel": [list(row.steps) for row in dashboard.funnel],
                                   "pass_rates": [[row.quiz.title, row.graded, row.passed] for row in dashboard.pass_rates]}, names)
    return json.loads(json.dumps(out))  # tuples become lists, as in the stored fixture
