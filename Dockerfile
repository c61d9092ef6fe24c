# syntax=docker/dockerfile:1
# curbside web app: `curbside serve --workers N` as a non-root user.
# Build:  docker build -t curbside .
# Run:    see deploy/compose.yaml and docs/operations.md

FROM python:3.11.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The CPU build of torch, pinned (pyproject pins torch==2.13.0; "+cpu" satisfies it). Installed
# first from PyTorch's CPU index so nothing pulls the CUDA build (gigabytes).
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0+cpu"
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
# The project itself (its dependencies are bounded in pyproject.toml; torch is pinned above).
# hadolint ignore=DL3013
RUN pip install ".[postgres,milvus]"

FROM python:3.11.11-slim-bookworm
ARG UID=10001
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    CURBSIDE_DATA_DIR=/var/lib/curbside \
    CURBSIDE_EMBEDDING__CACHE_DIR=/var/lib/curbside/models \
    CURBSIDE_WEB__HOST=0.0.0.0 \
    CURBSIDE_WEB__PORT=8000 \
    CURBSIDE_WEB__WORKERS=2 \
    HF_HUB_OFFLINE=1
# The medical spelling dictionary (kb/spelling.py: a term it knows is never corrected).
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends hunspell-en-med \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid "${UID}" curbside \
    && useradd --system --uid "${UID}" --gid curbside --home-dir /var/lib/curbside --shell /usr/sbin/nologin curbside \
    && mkdir -p /var/lib/curbside \
    && chown curbside:curbside /var/lib/curbside
COPY --from=build /opt/venv /opt/venv
USER ${UID}:${UID}
WORKDIR /var/lib/curbside
VOLUME ["/var/lib/curbside"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["curbside", "serve"]
