# One image for every production role: web (gunicorn), worker, beat and the one-shot migrate.
# The embedded default (SQLite, `manage.py runall`) needs no container; see README.md.
FROM python:3.12-slim

# Package indexes are build arguments so that a build inside mainland China can use a mirror,
# e.g. --build-arg PIP_INDEX_URL=https://mirrors.aliyun.com/pypi/simple/ (and UV_DEFAULT_INDEX).
ARG PIP_INDEX_URL=https://pypi.org/simple
ARG UV_DEFAULT_INDEX=https://pypi.org/simple
ARG UV_VERSION=0.13.9

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    ECOLOOP_VAR_DIR=/app/var \
    ECOLOOP_MEDIA_ROOT=/data/media

RUN pip install --no-cache-dir --index-url "$PIP_INDEX_URL" "uv==${UV_VERSION}" \
    && groupadd --system --gid 10001 ecoloop \
    && useradd --system --uid 10001 --gid ecoloop --home-dir /app --shell /usr/sbin/nologin ecoloop

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes. The SMS providers'
# SDKs are extras: without them ECOLOOP_SMS_BACKEND=workflow.sms.AliyunBackend (or Tencent) would
# fail at the first text a production image sends.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --all-extras --no-install-project --python /usr/local/bin/python3.12

COPY . .
# Static files are built into the image (whitenoise serves them); the secret is a build-time dummy.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret DATABASE_URL=postgres://build/none \
    REDIS_URL=redis://build:6379/0 python manage.py collectstatic --noinput \
    && mkdir -p /data/media \
    && chown -R ecoloop:ecoloop /app/var /data

USER ecoloop
EXPOSE 8000
VOLUME ["/data/media"]

# gunicorn 27 opens a control socket under $HOME by default; nothing here uses it.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--no-control-socket"]
