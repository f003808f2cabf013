"""The quiz report's final grades arrive as (grade, learners) runs counted by the database: on random
data every figure equals the one worked out over one grade per learner (the mean bit for bit)."""
import random
from collections import Counter

import pytest

from progress.selectors.reports import QuizReport, quiz_report
from progress.summary_models import LearnerQuizGrade
from quizzes.models import Quiz


def per_learner(grades: list[float], pass_percent: float) -> dict:
    grades = sorted(grades)
    counts = [0] * 10
    for grade in grades:
        counts[min(9, int(grade // 10.0))] += 1
    passed = sum(1 for grade in grades if grade >= pass_percent - 1e-9)
    return {"graded": len(grades), "mean": sum(grades) / len(grades) if grades else None, "passed": passed,
            "rate": 100 * passed / len(grades) if grades else None, "histogram": counts, "grades": grades}


@pytest.mark.parametrize("seed", range(20))
def test_runs_give_the_per_learner_figures(seed):
    rng = random.Random(seed)
    values = [rng.choice([0.0, 100.0, 50.0, 100 / 3, 200 / 3, 59.99999999999, 60.0, 99.99]) + rng.choice([0.0, 1e-13]) for _ in range(8)]
    grades = [rng.choice(values) for _ in range(rng.randint(0, 500))]
    report = QuizReport(quiz=Quiz(pass_percent=60), statistics=None, grade_runs=sorted(Counter(grades).items()),
                        learners_attempted=len(grades) + 3)
    want = per_learner(grades, 60)
    got = {"graded": report.learners_graded, "mean": report.mean_grade, "passed": report.passed, "rate": report.pass_rate,
           "histogram": [count for _, count in report.histogram()], "grades": report.final_grades}
    assert got == want  # exact: the mean is the same float, not an approximation


@pytest.mark.django_db
def test_the_database_counts_the_runs(make_quiz, cast, django_user_model):
    """Learners without a final grade count as attempted, not graded; equal grades are one run."""
    quiz = make_quiz()
    grades = [50.0, 100.0, 50.0, None, 100.0, 50.0, 0.0]
    for index, grade in enumerate(grades):
        user = django_user_model.objects.create_user(f"runs{index}", password="x")
        LearnerQuizGrade.objects.create(user=user, quiz=quiz, highest=grade, average=grade, first=grade, last=grade)
    report = quiz_report(quiz=quiz)
    assert report.grade_runs == [(0.0, 1), (50.0, 3), (100.0, 2)]
    assert (report.learners_attempted, report.learners_graded, report.final_grades) == (7, 6, [0.0, 50.0, 50.0, 50.0, 100.0, 100.0])
