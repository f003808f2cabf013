"""Benchmark of the review queue: picking a learner's next due card at 1,000 learners × 500 cards each.

    .venv/bin/python bench/review_queue.py [--learners 1000] [--cards 500] [--picks 200]

Bulk-builds the cards in a throwaway SQLite database (or in BENCH_DATABASE_URL, which must be a scratch
one: the script migrates and fills it, and reuses what an earlier run left there), then times, for
random learners: the selector alone (`review_card_next`), the selector plus what /review/ needs to show
the card (latest version and the public view), and the number of SQL queries of each, at the full size
and at a tenth of the learners (the counts must match). Goal: ≤ 50 ms a pick, queries independent of data.
"""
import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUIZZES = 10


def setup_django(database_url: str | None) -> None:
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="review-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(learners: int, cards: int, seed: int = 1) -> tuple[list[int], float]:
    """Bulk-insert learners, `cards` questions and one card per learner × question; returns (user ids, seconds)."""
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Course, Lesson
    from quizzes.models import Question, QuestionVersion, Quiz
    from quizzes.review.models import ReviewCard

    started = time.perf_counter()
    existing = list(User.objects.filter(username__startswith="review-bench-").order_by("id").values_list("id", flat=True))
    if len(existing) >= learners:
        return existing[:learners], 0.0
    rng, now = random.Random(seed), timezone.now()
    spec = {"qtype": "single_choice", "title": "Bench", "text": "Which function normalises scores?",
            "choices": [{"id": "a", "text": "ReLU", "fraction": 0.0}, {"id": "b", "text": "Softmax", "fraction": 1.0},
                        {"id": "c", "text": "Tanh", "fraction": 0.0}]}
    with transaction.atomic():
        course = Course.objects.create(slug="review-bench", title="Review bench")
        lesson = Lesson.objects.create(course=course, slug="l", title="L", position=1, is_published=True)
        quizzes = Quiz.objects.bulk_create(Quiz(lesson=lesson, slug=f"q{i}", title=f"Q{i}") for i in range(QUIZZES))
        questions = Question.objects.bulk_create(
            Question(quiz=quizzes[i % QUIZZES], position=i) for i in range(cards))
        QuestionVersion.objects.bulk_create(QuestionVersion(question=q, number=1, spec=spec) for q in questions)
        users = User.objects.bulk_create(User(username=f"review-bench-{i}") for i in range(learners))
    user_ids = [u.pk for u in users] or list(
        User.objects.filter(username__startswith="review-bench-").order_by("id").values_list("id", flat=True))
    question_ids = [q.pk for q in questions]
    for user_id in user_ids:  # one transaction per learner keeps memory flat
        with transaction.atomic():
            # Due from 30 days ago to 60 days ahead: about a third of each queue is due now.
            ReviewCard.objects.bulk_create(
                [ReviewCard(user_id=user_id, question_id=qid, due=now + timedelta(minutes=rng.randint(-30 * 1440, 60 * 1440)),
                            state=2, stability=rng.uniform(1, 50), difficulty=rng.uniform(1, 10), reviews=rng.randint(1, 9),
                            last_rating=rng.randint(1, 4), last_review=now - timedelta(days=rng.randint(1, 60)))
                 for qid in question_ids], batch_size=1000)
    return user_ids, time.perf_counter() - started


def time_picks(user_ids: list[int], picks: int, with_view: bool) -> tuple[list[float], set[int]]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes.review.questions import card_question
    from quizzes.review.selectors import review_card_next

    rng = random.Random(2)
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    times, counts = [], set()
    for _ in range(picks):
        user = users[rng.choice(user_ids)]
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            card = review_card_next(user=user)
            if with_view and card is not None:
                card_question(card).public()
            times.append((time.perf_counter() - started) * 1000)
        counts.add(len(queries))
    return times, counts


def query_plan(user_id: int) -> str:
    from django.contrib.auth.models import User

    from quizzes.review.selectors import _live
    from django.utils import timezone

    query = _live(User(pk=user_id)).filter(due__lte=timezone.now()).order_by("due", "id")[:1]
    return query.explain()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--picks", type=int, default=200)
    args = parser.parse_args()
    setup_django(os.environ.get("BENCH_DATABASE_URL"))
    from django.db import connection

    from quizzes.review.models import ReviewCard

    user_ids, build_s = build(args.learners, args.cards)
    total = ReviewCard.objects.count()
    print(f"# Review queue benchmark — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; database: {connection.vendor}; "
          f"{len(user_ids)} learners, {total} cards (built in {build_s:.0f} s)\n")
    print(f"plan: {' | '.join(query_plan(user_ids[0]).splitlines())}\n")
    rows = {}
    for label, subset in (("all learners", user_ids), ("a tenth of them", user_ids[: max(1, len(user_ids) // 10)])):
        for with_view in (False, True):
            times, counts = time_picks(subset, args.picks, with_view)
            name = f"{'next card + public view' if with_view else 'next card (selector)'}, {label}"
            rows[name] = {"p50_ms": statistics.median(times), "p95_ms": sorted(times)[int(0.95 * len(times)) - 1],
                          "max_ms": max(times), "queries": sorted(counts)}
    print("| what | p50 ms | p95 ms | max ms | SQL queries |\n| --- | ---: | ---: | ---: | --- |")
    for name, row in rows.items():
        print(f"| {name} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {row['max_ms']:.2f} | {row['queries']} |")
    print("\n" + json.dumps(rows))
    worst = max(row["p95_ms"] for row in rows.values())
    constant = len({tuple(row["queries"]) for name, row in rows.items() if "selector" in name}) == 1
    print(f"\ngoal ≤ 50 ms: {'met' if worst <= 50 else 'MISSED'} (worst p95 {worst:.2f} ms); "
          f"query count {'constant' if constant else 'GROWS'}")


if __name__ == "__main__":
    main()
