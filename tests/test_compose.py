"""docker-compose.yml has the production shape (docker itself does not run on our machines)."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_the_four_services_with_health_checks():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "redis", "db"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_start_order_waits_for_healthy_dependencies():
    services = compose()["services"]
    assert services["web"]["depends_on"] == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
    assert services["worker"]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_web_runs_gunicorn_and_the_worker_consumes_the_attention_queue_on_a_gpu():
    services = compose()["services"]
    assert "gunicorn config.wsgi" in services["web"]["command"]
    assert "-Q attention" in services["worker"]["command"] and "--pool solo" in services["worker"]["command"]
    devices = services["worker"]["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]


def test_redis_persists_and_never_evicts_and_postgres_has_a_volume():
    spec = compose()
    assert "--appendonly yes" in spec["services"]["redis"]["command"]
    assert "--maxmemory-policy noeviction" in spec["services"]["redis"]["command"]
    assert "db-data:/var/lib/postgresql/data" in spec["services"]["db"]["volumes"]
    assert {"db-data", "redis-data"} <= set(spec["volumes"])


def test_env_example_names_every_variable_the_settings_read():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for variable in ["SECRET_KEY", "POSTGRES_PASSWORD", "ALLOWED_HOSTS", "ATTENTION_DEVICE", "DEBUG"]:
        assert f"{variable}=" in example
