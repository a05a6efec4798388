"""A real OpenID provider for the sign-in tests: node's oidc-provider (OpenID Certified),
installed from tests/oidc_provider/package-lock.json by `make node-tools`, started here on a
free port of 127.0.0.1 with static clients, test accounts and its own signing keys."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey

from tests.support.environment import IN_CI

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def new_key(kid: str) -> dict:
    key = RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"})
    return key.as_dict(private=True)


@dataclass
class Provider:
    """One running provider process; ``restart`` keeps its port and issuer."""

    port: int
    accounts: dict
    clients: list
    keys: list
    tmp: Path
    process: subprocess.Popen | None = None
    log: list = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        config = self.tmp / f"provider-{self.port}.json"
        config.write_text(
            json.dumps(
                {
                    "port": self.port,
                    "issuer": self.issuer,
                    "clients": self.clients,
                    "accounts": self.accounts,
                    "keys": self.keys,
                }
            )
        )
        self.process = subprocess.Popen(
            ["node", str(PROVIDER_DIR / "server.mjs"), str(config)],
            cwd=PROVIDER_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"the OpenID provider did not start: {line!r}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the OpenID provider does not answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self, keys: list | None = None) -> None:
        self.stop()
        if keys is not None:
            self.keys = keys
        self.start()

    def tamper(self, mode: str) -> None:
        """The next ID token from the token endpoint is faulty in this way."""
        requests.post(f"{self.issuer}/test/tamper", json={"mode": mode}, timeout=5)


def _node_missing() -> str | None:
    if shutil.which("node") is None:
        return "node not found (apt-get install nodejs npm)"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc_provider is not installed: run `make node-tools`"
    return None


@pytest.fixture
def oidc_provider(tmp_path):
    """Factory: ``oidc_provider(accounts, client_id=..., secret=...)`` starts a provider."""
    missing = _node_missing()
    if missing:
        pytest.fail(missing) if IN_CI else pytest.skip(missing)
    started: list[Provider] = []

    def start(
        accounts: dict,
        client_id: str = "deelkracht",
        secret: str = "client-secret",  # noqa: S107
        app_url: str = "http://deelkracht.test",
    ):
        provider = Provider(
            port=free_port(),
            accounts=accounts,
            clients=[
                {
                    "client_id": client_id,
                    "client_secret": secret,
                    "redirect_uris": [f"{app_url}/login/werkaccount/terug"],
                    "post_logout_redirect_uris": [f"{app_url}/login"],
                    "grant_types": ["authorization_code"],
                    "response_types": ["code"],
                }
            ],
            keys=[new_key("key-1")],
            tmp=tmp_path,
        )
        provider.start()
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.actions: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.actions.append(dict(attrs).get("action", ""))


def through_provider(client, start_response, login: str) -> object:
    """Follow a sign-in from the app's redirect through the provider's own login form (as the
    browser would) and hand the provider's redirect back to the app's test client."""
    browser = requests.Session()
    location = start_response.headers["Location"]
    for _ in range(10):
        if location.startswith("http://deelkracht.test/"):
            parts = urlsplit(location)
            return client.get(f"{parts.path}?{parts.query}")
        response = browser.get(location, allow_redirects=False, timeout=10)
        if response.is_redirect:
            location = urljoin(location, response.headers["Location"])
            continue
        forms = _Forms()
        forms.feed(response.text)
        assert forms.actions, response.text[:500]
        action = urljoin(location, forms.actions[0])
        response = browser.post(
            action,
            data={"prompt": "login", "login": login, "password": "whatever"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.is_redirect, response.text[:500]
        location = urljoin(action, response.headers["Location"])
    raise AssertionError("no way back to the app")


def configure(in_arrangement, org, provider: Provider, client_id="deelkracht", **extra):
    """Give ``org`` a sign-in provider (what `deelkracht tenants apply` writes)."""
    from app.accounts.models import SignInProvider

    with in_arrangement(org.arrangement_id) as session:
        row = SignInProvider(
            arrangement_id=org.arrangement_id,
            organisation_id=org.id,
            issuer=provider.issuer if provider else "http://127.0.0.1:9",
            client_id=client_id,
            client_secret_env=extra.pop("secret_env", "TEST_OIDC_SECRET"),
            email_domains=extra.pop("domains", f"{org.slug}.test"),
            **extra,
        )
        session.add(row)
        session.commit()
        return row.id


@pytest.fixture(autouse=True)
def _client_secret(monkeypatch):
    monkeypatch.setenv("TEST_OIDC_SECRET", "client-secret")
    os.environ.setdefault("NO_PROXY", "127.0.0.1")
