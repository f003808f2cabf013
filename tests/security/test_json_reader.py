"""One JSON reader for every JSON endpoint: depth and size limits, 400/413 answered as JSON."""
import json

import pytest
from django.test import Client
from django.urls import reverse

from config.json_body import MAX_BYTES, MAX_DEPTH, JSONInputError, json_loads
from quizzes.domain.gift import GiftError, parse_gift
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000


def test_json_nested_at_the_limit_is_read_and_one_deeper_is_refused():
    assert json_loads("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(JSONInputError, match=f"more than {MAX_DEPTH} levels"):
        json_loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(JSONInputError, match="levels"):
        json_loads('{"a":' * 5000 + "1" + "}" * 5000)


def test_nan_and_oversize_texts_are_refused():
    with pytest.raises(JSONInputError):
        json_loads('{"x": NaN}')
    with pytest.raises(JSONInputError) as refused:
        json_loads('"' + "x" * MAX_BYTES + '"')
    assert refused.value.http_status == 413


@pytest.mark.parametrize("url", ["/api/attention/", "/lab/update/", "/api/enrollments/"])
def test_deep_json_is_a_400_json_answer_not_a_500(url, cast):
    response = client_for(cast.student).post(url, data=DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/attention/", "/lab/update/"])
def test_an_oversize_body_is_a_413_json_answer(url):
    body = json.dumps({"text": "x" * (MAX_BYTES + 10)})
    response = Client().post(url, data=body, content_type="application/json")
    assert response.status_code == 413
    assert "KiB" in response.json()["detail"]


def test_a_ten_megabyte_body_gets_json_not_an_html_page():
    response = Client().post("/api/attention/", data=b"{" + b" " * (10 * 1024 * 1024) + b"}", content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"


def test_a_deep_gift_extension_comment_is_a_line_error():
    text = "// @attentive " + "{\"a\":" * 3000 + "1" + "}" * 3000 + "\n::Q:: 2+2? {=4 ~5}\n"
    with pytest.raises(GiftError):
        parse_gift(text)


@pytest.mark.parametrize(
    "text",
    [{"x": 1}, 42, ["a"], True, "x" * 20_001],
)
def test_the_lab_and_the_api_refuse_the_same_texts(text):
    api = Client().post("/api/attention/", data={"text": text}, content_type="application/json")
    lab = Client().post(reverse("attention_lab:update"), data={"text": text}, content_type="application/json")
    assert api.status_code == lab.status_code == 400
    assert api.json()["code"] == lab.json()["code"]


def test_nul_in_any_string_is_refused_before_it_reaches_the_database():
    with pytest.raises(JSONInputError, match="NUL"):
        json_loads('{"course": "attention\\u0000-101"}')
    with pytest.raises(JSONInputError, match="NUL"):
        json_loads('{"a\\u0000": 1}')
    assert json_loads('{"text": "tab\\tand\\nnewline"}')["text"] == "tab\tand\nnewline"


@pytest.mark.parametrize("url", ["/api/lessons/?course=%00", "/api/quizzes/?lesson=a%00b", "/lab/?text=%00"])
def test_nul_in_a_query_string_is_a_400_not_a_database_error(url, cast):
    response = client_for(cast.student).get(url)
    assert response.status_code == 400
