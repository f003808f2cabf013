"""The web process never loads the model: importing the URLconf and every view module (and the lab's
API, serializers, registry and services) leaves torch unimported. Checked in a fresh interpreter,
since this test process itself imports torch for other tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import importlib, pkgutil, sys
import django
django.setup()
import config.urls
from django.urls import get_resolver
resolver = get_resolver()
resolver.url_patterns  # every urls module, with the views they import
modules = [name for name in ("attention_lab.views", "attention_lab.api", "attention_lab.services",
           "attention_lab.registry", "attention_lab.serializers", "attention_lab.renderers")]
for app in ("accounts", "courses", "quizzes", "progress", "attention_lab"):
    package = importlib.import_module(app)
    for info in pkgutil.walk_packages(package.__path__, prefix=app + "."):
        if info.name.split(".")[-1] in ("views", "api") or ".views." in info.name or info.name.endswith(".views"):
            modules.append(info.name)
for name in modules:
    importlib.import_module(name)
from attention_lab.registry import models_list
models_list()
print("torch" in sys.modules, len(modules))
"""


def test_urlconf_and_every_view_module_import_without_torch():
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    torch_loaded, module_count = done.stdout.split()
    assert torch_loaded == "False"
    assert int(module_count) >= 6
