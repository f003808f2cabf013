"""/healthz reports the database, Redis and the worker as JSON."""
import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_component(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is True  # our machines and CI run Redis on 127.0.0.1:6379
    assert set(body["worker"]) >= {"ok", "ms"}
    assert body["status"] in {"ok", "degraded"}


def test_healthz_says_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = client.get("/healthz").json()
    assert body["redis"]["ok"] is False and "error" in body["redis"]
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"
