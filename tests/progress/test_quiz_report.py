"""The instructor's quiz report shows the quiz engine's item statistics, not a second computation of them."""
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from progress.selectors.reports import quiz_report
from quizzes.models import AttemptState
from tests.conftest import client_for
from tests.factories import UserFactory

from .conftest import make_attempt

pytestmark = pytest.mark.django_db

# (q1, q2) per learner: facility 60 % for both; each question's correlation with the other is 1/6.
FIRST_ATTEMPTS = [(1, 1), (1, 0), (0, 0), (1, 1), (0, 1)]


class _TableRows(HTMLParser):
    """The text of each cell in the body of the table with the given class, row by row."""

    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._table_class = table_class
        self._in_table = self._in_body = self._done = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        if tag == "table" and self._table_class in (dict(attrs).get("class") or "").split():
            self._in_table = True
        elif tag == "tbody" and self._in_table:
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "tbody" and self._in_body:
            self._in_body, self._done = False, True
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _body_rows(html: str, table_class: str) -> list[list[str]]:
    parser = _TableRows(table_class)
    parser.feed(html)
    return parser.rows


@pytest.fixture
def two_question_quiz(cast, make_quiz):
    quiz = make_quiz(qtypes=["single_choice", "true_false"], title="Stats")
    learners = [UserFactory(username=f"stats{index}") for index in range(len(FIRST_ATTEMPTS))]
    for learner, fractions in zip(learners, FIRST_ATTEMPTS):
        make_attempt(quiz=quiz, user=learner, fractions=list(fractions))
    make_attempt(quiz=quiz, user=UserFactory(username="unfinished"), fractions=[1, 1], state=AttemptState.IN_PROGRESS)
    # A second try by the learner who failed both: counts under "all attempts" only, where it
    # takes the correlation between the two questions to zero.
    make_attempt(quiz=quiz, user=learners[2], fractions=[1, 0])
    return quiz


def test_quiz_report_takes_item_statistics_from_the_quiz_engine(two_question_quiz):
    report = quiz_report(quiz=two_question_quiz)
    questions = [question for question, _ in report.items]
    assert [q.facility for q in questions] == [pytest.approx(60), pytest.approx(60)]
    assert [q.discrimination for q in questions] == [pytest.approx(100 / 6), pytest.approx(100 / 6)]
    assert [verdict for _, verdict in report.items] == ["Weak discrimination", "Weak discrimination"]
    assert report.attempts_analysed == 5 and report.learners_graded == 5
    # Final grades follow the quiz's grading method (highest): stats2 now has 50 %.
    assert report.final_grades == [50, 50, 50, 100, 100]
    histogram = dict(report.histogram())
    assert histogram["50–60"] == 3 and histogram["90–100"] == 2 and sum(histogram.values()) == 5
    assert quiz_report(quiz=two_question_quiz, which="all").attempts_analysed == 6


@pytest.mark.parametrize("which", ["first", "all"])
def test_quiz_report_and_statistics_page_show_the_same_facility_and_discrimination(cast, two_question_quiz, which):
    client = client_for(cast.instructor)
    query = f"?attempts={which}"
    report_page = client.get(reverse("progress:quiz_report", args=[two_question_quiz.pk]) + query)
    statistics_page = client.get(reverse("quiz_authoring:statistics", args=[two_question_quiz.pk]) + query)
    assert report_page.status_code == statistics_page.status_code == 200

    # Report columns: #, question, type, graded answers, facility, discrimination, reading.
    on_report = [(row[0].removeprefix("Q"), row[4], row[5]) for row in _body_rows(report_page.content.decode(), "item-table")]
    # Statistics page columns: #, question, responses, facility, SD, discrimination, efficiency, answers.
    on_statistics = [(row[0], row[3], row[5]) for row in _body_rows(statistics_page.content.decode(), "stats-table")]
    assert on_report == on_statistics
    expected = {"first": [("1", "60.0 %", "16.7"), ("2", "60.0 %", "16.7")],
                "all": [("1", "66.7 %", "0.0"), ("2", "50.0 %", "0.0")]}[which]
    assert on_report == expected


def test_quiz_report_csv_carries_the_same_figures(cast, two_question_quiz):
    response = client_for(cast.instructor).get(reverse("progress:quiz_report_csv", args=[two_question_quiz.pk]) + "?attempts=all")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("position,question,type,graded_answers,facility_percent,discrimination_index")
    assert [line.split(",")[4:6] for line in lines[1:]] == [["66.7", "0.0"], ["50.0", "0.0"]]


def test_the_chart_uses_the_same_discrimination_scale_as_the_tables(cast, two_question_quiz):
    page = client_for(cast.instructor).get(reverse("progress:quiz_report", args=[two_question_quiz.pk]) + "?attempts=first")
    html = page.content.decode()
    # the scatter's axis runs −100..100 and its points carry the index the tables show (16.7), not 0.17
    assert ">-100</text>" in html and ">100</text>" in html and ">-1</text>" not in html
    assert "discrimination 16.7" in html and "discrimination 0.17" not in html
