"""The official Python Identity SDK's quickstart against acs-identity-emulator.

Environment (set by ../run.sh):
  EMU_TLS_CONNECTION_STRING  connection string of an emulator started with --tls
                             (REQUESTS_CA_BUNDLE and SSL_CERT_FILE must name its CA)
  EMU_HTTP_ENDPOINT          endpoint of a plain-http emulator
  EMU_ACCESS_KEY             its access key

Runs the flow three ways: sync client from the connection string (https, requests), sync
client with the explicit http constructor, and the aio client (aiohttp, which sends ids
unencoded) from the connection string.
"""

import asyncio
import base64
import json
import os
import re
import sys
import time
import traceback
from datetime import datetime, timedelta, timezone

import requests
from azure.communication.identity import CommunicationIdentityClient, CommunicationTokenScope
from azure.communication.identity.aio import (
    CommunicationIdentityClient as AsyncCommunicationIdentityClient,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

PASSED = 0
FAILED = 0
APP_ID = "00000000-0000-0000-0000-000000000001"
OID = "00000000-0000-0000-0000-000000000002"


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def entra_token(claims):
    return f"{b64url({'alg': 'RS256', 'typ': 'JWT'})}.{b64url(claims)}.c2ln"


def validate(endpoint, token):
    r = requests.post(f"{endpoint}/_emulator/tokens:validate", json={"token": token}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["reason"]


def expires_in_seconds(access_token):
    exp = access_token.expires_on
    if isinstance(exp, str):  # 1.5.0 hands over the raw RFC 3339 string
        exp = datetime.fromisoformat(exp)
    if isinstance(exp, datetime):
        return exp.timestamp() - time.time()
    return exp - time.time()


def expect_error(status, code, fn, *args, **kwargs):
    try:
        result = fn(*args, **kwargs)
    except HttpResponseError as e:
        check_error(e, status, code)
        return e
    raise AssertionError(f"expected {status} {code}, got {result!r}")


async def expect_error_async(status, code, coro):
    try:
        result = await coro
    except HttpResponseError as e:
        check_error(e, status, code)
        return e
    raise AssertionError(f"expected {status} {code}, got {result!r}")


def check_error(e, status, code):
    assert e.status_code == status, f"{e.status_code}: {e}"
    body = json.loads(e.response.text())
    assert body["error"]["code"] == code, body


class Steps:
    def __init__(self, label):
        self.label = label

    def run(self, name, fn):
        global PASSED, FAILED
        try:
            fn()
            PASSED += 1
            print(f"ok   {self.label}: {name}", flush=True)
        except Exception:  # noqa: BLE001 - report and go on
            FAILED += 1
            print(f"FAIL {self.label}: {name}\n{traceback.format_exc()}", flush=True)

    async def run_async(self, name, coro_fn):
        global PASSED, FAILED
        try:
            await coro_fn()
            PASSED += 1
            print(f"ok   {self.label}: {name}", flush=True)
        except Exception:  # noqa: BLE001
            FAILED += 1
            print(f"FAIL {self.label}: {name}\n{traceback.format_exc()}", flush=True)


def sync_flow(label, client, endpoint):
    s = Steps(label)
    st = {}
    voip = [CommunicationTokenScope.VOIP]

    def create_user():
        st["user"] = client.create_user()
        assert st["user"].properties["id"].startswith("8:acs:")

    def get_token():
        st["first"] = client.get_token(st["user"], voip)
        secs = expires_in_seconds(st["first"])
        assert 23.9 * 3600 < secs <= 24 * 3600 + 60, secs
        assert validate(endpoint, st["first"].token) == "valid"

    def get_token_custom():
        t = client.get_token(st["user"], voip, token_expires_in=timedelta(hours=1))
        secs = expires_in_seconds(t)
        assert 59 * 60 < secs <= 3660, secs

    def get_token_join():
        client.get_token(st["user"], [CommunicationTokenScope.CHAT_JOIN, CommunicationTokenScope.VOIP_JOIN])

    def create_user_and_token():
        user2, token2 = client.create_user_and_token(
            [CommunicationTokenScope.CHAT, CommunicationTokenScope.VOIP],
            token_expires_in=timedelta(hours=2),
        )
        st["user2"], st["token2"] = user2, token2
        assert validate(endpoint, token2.token) == "valid"

    def revoke():
        client.revoke_tokens(st["user"])
        assert validate(endpoint, st["first"].token) == "revoked"

    def delete():
        client.delete_user(st["user2"])
        assert validate(endpoint, st["token2"].token) == "identityDeleted"

    def expiry_59():
        e = expect_error(400, "ValidationError", client.get_token, st["user"], voip,
                         token_expires_in=timedelta(minutes=59))
        assert "ExpiresInMinutes value 59 is invalid" in json.loads(e.response.text())["error"]["message"]

    def expiry_1441_create():
        expect_error(400, "ValidationError", client.create_user_and_token, voip,
                     token_expires_in=timedelta(minutes=1441))

    def deleted_user():
        expect_error(404, "IdentityNotFound", client.get_token, st["user2"], voip)

    def teams():
        exp = int(time.time()) + 3600
        aad = entra_token({"exp": exp, "appid": APP_ID, "oid": OID})
        t = client.get_token_for_teams_user(aad, APP_ID, OID)
        assert abs(expires_in_seconds(t) - 3600) < 60
        expect_error(400, "ValidationError", client.get_token_for_teams_user, aad,
                     "00000000-0000-0000-0000-00000000000f", OID)
        expired = entra_token({"exp": 1000, "appid": APP_ID, "oid": OID})
        expect_error(401, "InvalidAccessToken", client.get_token_for_teams_user, expired, APP_ID, OID)

    def delete_first():
        client.delete_user(st["user"])

    for name, fn in [
        ("create user", create_user),
        ("get token (default expiry)", get_token),
        ("get token (custom expiry, 1 hour)", get_token_custom),
        ("get token (chat.join, voip.join)", get_token_join),
        ("create user and token", create_user_and_token),
        ("revoke tokens", revoke),
        ("delete user", delete),
        ("error: expiry 59 minutes -> 400 ValidationError", expiry_59),
        ("error: expiry 1441 minutes on create -> 400 ValidationError", expiry_1441_create),
        ("error: token for a deleted user -> 404 IdentityNotFound", deleted_user),
        ("Teams user token exchange (+ errors)", teams),
        ("delete the first user", delete_first),
    ]:
        s.run(name, fn)


async def async_flow(label, conn, endpoint):
    s = Steps(label)
    st = {}
    voip = [CommunicationTokenScope.VOIP]
    async with AsyncCommunicationIdentityClient.from_connection_string(conn) as client:

        async def create_user():
            st["user"] = await client.create_user()

        async def get_token():
            st["first"] = await client.get_token(st["user"], voip)
            assert validate(endpoint, st["first"].token) == "valid"

        async def get_token_custom():
            t = await client.get_token(st["user"], voip, token_expires_in=timedelta(hours=1))
            assert 59 * 60 < expires_in_seconds(t) <= 3660

        async def create_user_and_token():
            st["user2"], st["token2"] = await client.create_user_and_token(voip)

        async def revoke():
            await client.revoke_tokens(st["user"])
            assert validate(endpoint, st["first"].token) == "revoked"

        async def delete():
            await client.delete_user(st["user2"])
            assert validate(endpoint, st["token2"].token) == "identityDeleted"

        async def expiry_59():
            await expect_error_async(400, "ValidationError",
                                     client.get_token(st["user"], voip, token_expires_in=timedelta(minutes=59)))

        async def delete_first():
            await client.delete_user(st["user"])
            await expect_error_async(404, "IdentityNotFound", client.revoke_tokens(st["user"]))

        for name, fn in [
            ("create user", create_user),
            ("get token", get_token),
            ("get token (custom expiry, 1 hour)", get_token_custom),
            ("create user and token", create_user_and_token),
            ("revoke tokens (unencoded id path)", revoke),
            ("delete user", delete),
            ("error: expiry 59 minutes -> 400 ValidationError", expiry_59),
            ("delete the first user, then 404", delete_first),
        ]:
            await s.run_async(name, fn)


def main():
    tls = os.environ["EMU_TLS_CONNECTION_STRING"]
    http_endpoint = os.environ["EMU_HTTP_ENDPOINT"]
    key = os.environ["EMU_ACCESS_KEY"]
    tls_endpoint = re.search(r"endpoint=(.*?)/?;", tls, re.I).group(1)

    sync_flow("python sync https connection string",
              CommunicationIdentityClient.from_connection_string(tls), tls_endpoint)
    sync_flow("python sync http explicit endpoint",
              CommunicationIdentityClient(http_endpoint, AzureKeyCredential(key)), http_endpoint)
    # The newest GA api-version (acs-identity's default): the SDK sends what it is given,
    # and every request it sent must have carried it.
    global FAILED
    sent = []
    sync_flow("python sync https connection string, api-version 2026-09-23",
              CommunicationIdentityClient.from_connection_string(
                  tls, api_version="2026-09-23",
                  raw_request_hook=lambda r: sent.append(r.http_request.url)),
              tls_endpoint)
    if not sent or any("api-version=2026-09-23" not in url for url in sent):
        FAILED += 1
        print(f"FAIL api-version 2026-09-23 not sent on every request: {sent[:3]}")
    else:
        print(f"ok   api-version 2026-09-23 on all {len(sent)} requests")
    asyncio.run(async_flow("python aio https connection string", tls, tls_endpoint))

    print(f"{PASSED} passed, {FAILED} failed")
    return 0 if FAILED == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
