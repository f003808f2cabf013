"""The API reads form and multipart bodies too (DRF's form parsers): a NUL in any field is refused there,
as the JSON reader refuses it, with a 400 in JSON, on every JSON endpoint. A NUL in `course` reached a
PostgreSQL lookup through POST /api/enrollments/ (a 500)."""
import pytest
from django.db import transaction
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests.conftest import client_for
from tests.security.test_bad_input_corpus import fill, json_endpoints, methods_for
from tests.security.test_url_matrix import random_slot
from tests.security.world import override_in

pytestmark = pytest.mark.django_db

FIELDS = ("course", "quiz", "lesson", "user", "group", "question", "response", "rating", "text", "fmt", "spec",
          "reason", "opens_at", "draw_count", "category", "tag", "completed", "seen_reviews", "model")


@pytest.mark.parametrize("role", ["student", "instructor"])
@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_a_nul_in_a_form_body_is_a_400_json_answer(world, role, encoding):
    override_in(world)
    random_slot(world)
    client = client_for(getattr(world, role))
    body = {field: "a\x00b" for field in FIELDS}
    wrong = []
    for route in json_endpoints():
        url = fill(route, world)
        for method in methods_for(route):
            if encoding == "form":
                payload, content_type = "&".join(f"{field}=a%00b" for field in FIELDS), "application/x-www-form-urlencoded"
            else:
                payload, content_type = encode_multipart(BOUNDARY, body), MULTIPART_CONTENT
            with transaction.atomic():
                response = client.generic(method.upper(), url, payload, content_type=content_type)
                transaction.set_rollback(True)
            # (an endpoint that reads no body, like submit, may answer 200: it never saw the NUL)
            if response.status_code >= 500 or not response["Content-Type"].startswith("application/json"):
                wrong.append(f"{method.upper()} {url} -> {response.status_code}")
            elif 200 <= response.status_code < 300 and not url.endswith(("/submit/", "/start/")):
                wrong.append(f"{method.upper()} {url} -> {response.status_code}: the NUL was taken")
    assert not wrong, "\n".join(wrong)


def test_the_form_refusal_names_the_nul(world):
    response = client_for(world.other_student).generic(
        "POST", "/api/enrollments/", "course=attention%00-101", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
