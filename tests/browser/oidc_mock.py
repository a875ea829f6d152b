"""A tiny OpenID Connect provider on loopback, for real sign-ins in the browser tests.

Authorization-code flow only, as Streamlit's `st.login` (Authlib's Starlette client) uses it:
discovery, /authorize (approves at once as `mock.user`, no login form), /token (client secret by
HTTP Basic or in the form; PKCE S256 checked when the client sent a challenge), /jwks, /userinfo.
The id_token is an RS256 JWT signed with a key generated at start. Standard library HTTP server
in a daemon thread; nothing leaves 127.0.0.1.

    mock = OidcMock(client_id="iof", client_secret="hemligt").start()
    mock.user = {"sub": "u-1", "email": "anna@stad.se", "name": "Anna"}
    ... sign in ...
    mock.stop()
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default backlog of 5 drops connections when 20 sessions sign in at once
    daemon_threads = True
from urllib.parse import parse_qs, unquote, urlencode, urlparse, urlunparse

from joserfc import jwt
from joserfc.jwk import RSAKey


class OidcMock:
    def __init__(self, client_id: str = "iof", client_secret: str = "hemligt", host: str = "127.0.0.1"):
        self.client_id = client_id
        self.client_secret = client_secret
        self.host = host
        self.user: dict | None = None  # claims of whoever "signs in" next (sub is required)
        self.authorize_requests: list[dict[str, str]] = []  # query of every /authorize call
        self.token_requests: list[dict[str, str]] = []  # form of every /token call (secret removed)
        self.issued: list[dict] = []  # claims of every id_token issued
        self._codes: dict[str, dict] = {}
        self._access: dict[str, dict] = {}
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.key = RSAKey.generate_key(2048, private=True)
        self.kid = secrets.token_hex(8)

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> OidcMock:
        mock = self

        class Handler(_Handler):
            provider = mock

        self._server = _Server((self.host, 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-mock", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OidcMock:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "OidcMock is not started"
        return self._server.server_address[1]

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict:
        i = self.issuer
        return {
            "issuer": i,
            "authorization_endpoint": f"{i}/authorize",
            "token_endpoint": f"{i}/token",
            "jwks_uri": f"{i}/jwks",
            "userinfo_endpoint": f"{i}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["sub", "email", "name", "iss", "aud", "exp", "iat", "nonce"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }

    def jwks(self) -> dict:
        return {"keys": [dict(self.key.as_dict(private=False), kid=self.kid, use="sig", alg="RS256")]}

    # ---------------------------------------------------------------- the flow
    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) of /authorize: a 302 back to the client with code and state."""
        with self._lock:
            self.authorize_requests.append(dict(query))
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or not redirect_uri.startswith("http://127.0.0.1:"):
            return 400, {}, b"unknown client or redirect_uri"  # never redirect to a stranger
        params = {"state": query["state"]} if "state" in query else {}
        if query.get("response_type") != "code":
            params["error"] = "unsupported_response_type"
        elif "openid" not in query.get("scope", "").split():
            params["error"] = "invalid_scope"
        elif not self.user or not self.user.get("sub"):
            params["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = {
                    "user": dict(self.user),
                    "nonce": query.get("nonce"),
                    "redirect_uri": redirect_uri,
                    "challenge": query.get("code_challenge"),
                    "method": query.get("code_challenge_method", "plain"),
                    "expires": time.time() + 60,
                }
            params["code"] = code
        parts = urlparse(redirect_uri)
        query_string = "&".join(filter(None, [parts.query, urlencode(params)]))
        return 302, {"Location": urlunparse(parts._replace(query=query_string))}, b""

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            raw = base64.b64decode(authorization[6:]).decode()
            cid, _, secret = raw.partition(":")
            client_id, client_secret = unquote(cid), unquote(secret)
        with self._lock:
            self.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant["expires"] < time.time():
            return 400, {"error": "invalid_grant", "error_description": "unknown or used code"}
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        if grant["challenge"]:
            verifier = form.get("code_verifier", "")
            if grant["method"] == "S256":
                digest = hashlib.sha256(verifier.encode()).digest()
                expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            else:
                expected = verifier
            if expected != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed"}
        now = int(time.time())
        claims = dict(grant["user"], iss=self.issuer, aud=self.client_id, iat=now, exp=now + 600, auth_time=now)
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": self.kid, "typ": "JWT"}, claims, self.key)
        access_token = secrets.token_urlsafe(24)
        with self._lock:
            self._access[access_token] = dict(grant["user"])
            self.issued.append(claims)
        return 200, {"access_token": access_token, "token_type": "Bearer", "expires_in": 600,
                     "id_token": id_token, "scope": "openid email profile"}

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        token = (authorization or "").partition(" ")[2]
        with self._lock:
            user = self._access.get(token)
        return (200, user) if user else (401, {"error": "invalid_token"})


class _Handler(BaseHTTPRequestHandler):
    provider: OidcMock
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: dict) -> None:
        self._send(status, json.dumps(data).encode())

    def do_GET(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = self.provider
        if url.path == "/.well-known/openid-configuration":
            self._json(200, p.metadata())
        elif url.path == "/jwks":
            self._json(200, p.jwks())
        elif url.path == "/authorize":
            status, headers, body = p.authorize(query)
            self._send(status, body, headers, content_type="text/plain; charset=utf-8")
        elif url.path == "/userinfo":
            self._json(*p.userinfo(self.headers.get("Authorization")))
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        p = self.provider
        if url.path == "/token":
            form = {k: v[0] for k, v in parse_qs(raw).items()}
            self._json(*p.token(form, self.headers.get("Authorization")))
        elif url.path == "/userinfo":
            self._json(*p.userinfo(self.headers.get("Authorization")))
        else:
            self._json(404, {"error": "not_found"})


class OidcMockProcess:
    """The mock in a process of its own, approving one fixed user: under heavy load (20 browser
    sessions signing in at once, driven from the test process) a thread in the test process gets
    too little of the GIL and the app's connections to the provider time out."""

    def __init__(self, user: dict, client_id: str = "iof", client_secret: str = "hemligt"):
        import json
        import subprocess
        import sys
        from pathlib import Path

        self.client_id, self.client_secret = client_id, client_secret
        code = (
            "import json, sys, time\n"
            "from tests.browser.oidc_mock import OidcMock\n"
            "m = OidcMock(client_id=sys.argv[1], client_secret=sys.argv[2]).start()\n"
            "m.user = json.loads(sys.argv[3])\n"
            "print(m.metadata_url, flush=True)\n"
            "time.sleep(3600)\n"
        )
        root = Path(__file__).resolve().parents[2]
        self.proc = subprocess.Popen([sys.executable, "-c", code, client_id, client_secret, json.dumps(user)],
                                     cwd=root, stdout=subprocess.PIPE, text=True)
        self.metadata_url = self.proc.stdout.readline().strip()
        if not self.metadata_url.startswith("http://127.0.0.1:"):
            self.stop()
            raise RuntimeError("OIDC-mocken startade inte")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
