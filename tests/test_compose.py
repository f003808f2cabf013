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


def test_gunicorn_config_sizes_workers_and_logs_json():
    namespace: dict = {}
    exec((ROOT / "config" / "gunicorn.py").read_text(encoding="utf-8"), namespace)
    assert 3 <= namespace["workers"] <= 9 or "WEB_CONCURRENCY" in __import__("os").environ
    assert namespace["bind"].endswith(":8000") and namespace["timeout"] <= 60
    assert namespace["logconfig_dict"]["formatters"]["json"]["()"] == "config.json_logging.JsonFormatter"
    web = compose()["services"]["web"]["command"]
    assert "-c config/gunicorn.py" in web
    # Static files: WhiteNoise in the middleware, collected (hashed) into the image at build time.
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "collectstatic --noinput" in dockerfile and "npm ci --omit=dev" in dockerfile


def test_cpu_override_drops_the_gpu_reservation():
    class ComposeLoader(yaml.SafeLoader):
        """Compose's `!reset` tag (drop the inherited value) marked so the test can see it."""

    ComposeLoader.add_constructor("!reset", lambda loader, node: ("!reset", loader.construct_mapping(node)))
    override = yaml.load((ROOT / "docker-compose.cpu.yml").read_text(encoding="utf-8"), Loader=ComposeLoader)
    assert override["services"]["worker"]["environment"]["ATTENTION_DEVICE"] == "cpu"
    assert override["services"]["worker"]["deploy"] == ("!reset", {})


def test_production_logs_are_one_json_object_per_line():
    import json
    import logging

    from config.json_logging import JsonFormatter

    record = logging.LogRecord("attentive", logging.WARNING, __file__, 1, "lab %s unavailable", ("worker",), None)
    record.job_id = "abc"
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["message"] == "lab worker unavailable" and entry["job_id"] == "abc"
    assert "\n" not in line
