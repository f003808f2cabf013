"""CSV exports: content, column order, UTF-8 and defused spreadsheet formulas."""
import csv
import io

import pytest
from django.urls import reverse

from progress.csv_exports import RESPONSES_HEADER, cell
from tests.conftest import client_for
from tests.factories import UserFactory, enroll

pytestmark = pytest.mark.django_db


def _rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://evil\")", "'=HYPERLINK(\"http://evil\")"),
    ("+1+2", "'+1+2"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), (-3, -3), (0.125, 0.12), (None, ""), (True, "yes"),
])
def test_cells_that_spreadsheets_would_run_are_defused(value, expected):
    assert cell(value) == expected


def test_gradebook_csv_has_one_header_row_a_stable_column_order_and_the_grades(book):
    response = client_for(book.cast.instructor).get(reverse("progress:gradebook_csv", args=[book.cast.course.slug]))
    header, *rows = _rows(response)
    assert header == [
        "username", "name", "email", "average_percent", "quizzes_passed", "status",
        "Highest quiz · grade %", "Highest quiz · passed", "Highest quiz · attempts",
        "Average quiz · grade %", "Average quiz · passed", "Average quiz · attempts",
    ]
    by_user = {row[0]: row for row in rows}
    assert by_user["student1"][3:] == ["62.5", "1", "failed", "80.0", "yes", "2", "45.0", "no", "2"]
    assert by_user["student4"][3:] == ["", "0", "not_started", "", "", "0", "", "", "0"]
    assert len(rows) == 3


def test_gradebook_csv_follows_the_filters(book):
    url = reverse("progress:gradebook_csv", args=[book.cast.course.slug])
    _, *rows = _rows(client_for(book.cast.instructor).get(url, {"status": "not_started"}))
    assert [row[0] for row in rows] == ["student4"]


def test_names_are_exported_in_utf8_and_formulas_are_defused(book):
    evil = UserFactory(username="mallory", first_name="=cmd|' /C calc'!A0", last_name="Ünïcødé")
    enroll(evil, book.cast.course)
    _, *rows = _rows(client_for(book.cast.instructor).get(reverse("progress:gradebook_csv", args=[book.cast.course.slug])))
    row = next(row for row in rows if row[0] == "mallory")
    assert row[1] == "'=cmd|' /C calc'!A0 Ünïcødé"


def test_responses_csv_has_one_row_per_answer(book):
    response = client_for(book.cast.instructor).get(reverse("progress:responses_csv", args=[book.cast.course.slug]))
    header, *rows = _rows(response)
    assert header == RESPONSES_HEADER
    assert len(rows) == 6  # six attempts of one question each
    first = dict(zip(header, rows[0]))
    assert (first["username"], first["quiz"], first["attempt"], first["question_type"]) == ("student1", "Highest quiz", "1", "single_choice")
    assert first["response"] == "Softmax" and first["fraction"] == "0.4" and first["max_marks"] == "1.0"
    in_progress = next(dict(zip(header, row)) for row in rows if row[4] == "in_progress")
    assert in_progress["state"] == "not submitted" and in_progress["marks"] == ""


def test_platform_chart_exports_cover_the_chosen_range(book):
    client = client_for(book.cast.admin)
    header, *rows = _rows(client.get(reverse("progress:platform_csv", args=["enrollments"]), {"start": "2026-01-01", "end": "2026-01-07"}))
    assert header == ["date", "new_enrollments"]
    assert [row[0] for row in rows] == [f"2026-01-0{day}" for day in range(1, 8)]
    header, *rows = _rows(client.get(reverse("progress:platform_csv", args=["funnel"])))
    assert header == ["course", "enrolled", "started", "completed_all_lessons", "passed_all_quizzes"]
    assert ["Attention 101", "3", "2", "0", "0"] in rows
    header, *rows = _rows(client.get(reverse("progress:platform_csv", args=["pass-rates"])))
    assert ["Attention 101", "Highest quiz", "2", "1", "50.0"] in rows
    assert client.get(reverse("progress:platform_csv", args=["nonsense"])).status_code == 404
