"""One CSV writer for every export: a BOM, and formula escaping for every dangerous first character."""
import pytest
from django.urls import reverse

from config.csv_writer import FORMULA_PREFIXES, cell, csv_text
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_every_formula_start_is_defused(start):
    assert start in FORMULA_PREFIXES
    assert cell(f"{start}HYPERLINK(\"http://evil\")").startswith("'")


def test_numbers_stay_numbers_and_text_is_quoted_by_csv():
    assert cell(-3) == -3 and cell(2.345) == 2.35 and cell(None) == ""
    assert csv_text(header=["a"], rows=[["x,y"]]) == 'a\r\n"x,y"\r\n'


def test_statistics_csv_has_the_bom_and_escapes_titles(cast, make_quiz):
    from quizzes.services.questions import question_create
    from tests.conftest import QUESTION_SPECS

    quiz = make_quiz(qtypes=())
    question_create(quiz=quiz, spec={**QUESTION_SPECS["single_choice"], "title": "=cmd|' /C calc'!A0"}, user=cast.instructor)
    url = reverse("quiz_authoring:statistics_csv", args=[quiz.pk])
    response = client_for(cast.instructor).get(url)
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "=cmd" not in body.replace("'=cmd", "")

