from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "x" * 50 + "-real-secret-from-the-environment",
    "ID_NUMBER_KEY": "cmVhbC1rZXktZnJvbS10aGUtZW52aXJvbm1lbnQtMzI=",
    "ALLOWED_HOSTS": "portal.example.cn",
    "SMS_BACKEND": "carrier_gateway.sms.SmsBackend",
}


def _clean_environ() -> dict:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; a deployment never has it.
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def _manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**_clean_environ(), **env}, timeout=120)


def test_check_deploy_passes_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ID_NUMBER_KEY"])
def test_production_refuses_the_demo_keys(missing):
    env = {**PRODUCTION_ENV}
    env.pop(missing)
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            env={k: v for k, v in {**_clean_environ(), **env}.items() if k != missing}, timeout=120)
    assert result.returncode != 0 and missing in result.stderr


def test_passwords_are_hashed_with_argon2_outside_tests():
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_failed_log_ins_are_throttled_per_user_and_address(client, tree):
    from tests.factories import UserFactory

    UserFactory(username="victim", unit=tree["chaoyang"])
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post(url, {"username": "victim", "password": "pw-123456"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    # The same account from another address, and another account from the same address, still work.
    assert client.post(url, {"username": "victim", "password": "pw-123456"}, REMOTE_ADDR="10.0.0.2").status_code == 302
    client.logout()
    UserFactory(username="colleague", unit=tree["chaoyang"])
    assert client.post(url, {"username": "colleague", "password": "pw-123456"}, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_admin_speaks_chinese_by_default(client, db):
    assert "登录" in client.get(reverse("admin:login")).content.decode()


def _compose_command():
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_file_is_valid():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    env = {**os.environ, "POSTGRES_PASSWORD": "p", "SECRET_KEY": "s", "ID_NUMBER_KEY": "k",
           "SMS_BACKEND": "carrier_gateway.sms.SmsBackend"}
    result = subprocess.run([*command, "-f", "docker-compose.yml", "config"], cwd=ROOT, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    for service in ("postgres", "redis", "web", "worker", "beat"):
        assert f"  {service}:" in result.stdout
    assert "carrier_gateway.sms.SmsBackend" in result.stdout


def test_docker_compose_requires_an_sms_backend():
    command = _compose_command()
    if command is None:
        pytest.skip("no docker compose client on this machine")
    env = {key: value for key, value in os.environ.items() if not key.startswith("SMS_")}
    env.update({"POSTGRES_PASSWORD": "p", "SECRET_KEY": "s", "ID_NUMBER_KEY": "k"})
    result = subprocess.run([*command, "-f", "docker-compose.yml", "config"], cwd=ROOT, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode != 0 and "SMS_BACKEND" in result.stderr


@pytest.mark.parametrize("backend", ["portal.sms.backends.console.SmsBackend", "portal.sms.backends.locmem.SmsBackend",
                                     None])
def test_production_refuses_an_sms_backend_that_sends_nothing(backend):
    # The default is the console backend: codes would go to the log and never to a phone.
    env = {key: value for key, value in {**_clean_environ(), **PRODUCTION_ENV}.items() if key != "SMS_BACKEND"}
    if backend:
        env["SMS_BACKEND"] = backend
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode != 0 and "SMS_BACKEND" in result.stderr and "ImproperlyConfigured" in result.stderr
    allowed = _manage("check", env={**env, "SMS_ALLOW_CONSOLE": "1"})
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_the_deployment_trusts_exactly_one_proxy_and_the_readme_says_so():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "TRUSTED_PROXY_COUNT: ${TRUSTED_PROXY_COUNT:-1}" in compose
    assert '"127.0.0.1:8000:8000"' in compose  # nobody reaches gunicorn around the proxy
    readme = (ROOT / "README.md").read_text()
    security = readme[readme.index("### Security"):]
    assert "TRUSTED_PROXY_COUNT" in security.split("\n### ")[0]


def test_axes_takes_the_client_address_from_the_one_function():
    from django.conf import settings

    assert settings.AXES_CLIENT_IP_CALLABLE == "portal.client_address.client_address"
    assert settings.TRUSTED_PROXY_COUNT == 0
