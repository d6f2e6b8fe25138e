# syntax=docker/dockerfile:1
# Production image: one image for web (daphne), worker and beat (celery).
# Stage 1 builds the third-party front-end assets from npm; stage 2 is the
# Python app, run as a non-root user, with static files collected at build.

FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY scripts/build_assets.mjs scripts/
# build_assets.mjs also copies the source maps, which collectstatic's
# hashed-names storage needs because the minified files reference them.
RUN node scripts/build_assets.mjs

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_ENV=production
WORKDIR /app
RUN groupadd --system app && useradd --system --gid app --home-dir /app --no-create-home app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md LICENSE ./
RUN pip install .

COPY --chown=app:app . .
COPY --from=assets --chown=app:app /src/build/vendor build/vendor
# collectstatic needs production settings to start; these values exist only
# during the build and are never used at run time.
RUN mkdir -p var/beat && \
    SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    ALLOWED_HOSTS=build.invalid DATABASE_URL=postgres://build.invalid/none \
    REDIS_URL=redis://build.invalid:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0 && \
    chown -R app:app var

USER app
EXPOSE 8000
# /healthz is exempt from the HTTPS redirect; send a Host the app accepts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as u; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ['ALLOWED_HOSTS'].split(',')[0]}), timeout=4)"
CMD ["daphne", "--no-server-name", "-b", "0.0.0.0", "-p", "8000", "--proxy-headers", "collab_platform.asgi:application"]
