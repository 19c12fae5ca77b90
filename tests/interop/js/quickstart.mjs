// The official JS Identity SDK's quickstart against acs-identity-emulator.
//
// Environment (set by ../run.sh):
//   EMU_TLS_CONNECTION_STRING  connection string of an emulator started with --tls
//                              (NODE_EXTRA_CA_CERTS must name its CA certificate)
//   EMU_HTTP_ENDPOINT          endpoint of a plain-http emulator
//   EMU_ACCESS_KEY             its access key
import { CommunicationIdentityClient } from "@azure/communication-identity";
import { AzureKeyCredential } from "@azure/core-auth";
import assert from "node:assert/strict";

let passed = 0;
let failed = 0;

function b64url(obj) {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

function entraToken(claims) {
  return `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url(claims)}.c2ln`;
}

async function validate(endpoint, token) {
  const r = await fetch(`${endpoint}/_emulator/tokens:validate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).reason;
}

async function expectError(promise, status, code) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.statusCode, status, `${e.message}`);
    assert.equal(e.code, code, `${e.message}`);
    return e;
  }
  assert.fail(`expected ${status} ${code}`);
}

async function flow(label, client, endpoint) {
  const step = async (name, fn) => {
    try {
      await fn();
      passed++;
      console.log(`ok   ${label}: ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${label}: ${name}: ${e.stack || e}`);
    }
  };
  let user, first, user2, token2;
  await step("create user", async () => {
    user = await client.createUser();
    assert.match(user.communicationUserId, /^8:acs:/);
  });
  await step("get token (default expiry)", async () => {
    first = await client.getToken(user, ["voip"]);
    const hours = (first.expiresOn.getTime() - Date.now()) / 3600e3;
    assert.ok(hours > 23.9 && hours <= 24.01, `${hours}`);
    assert.equal(await validate(endpoint, first.token), "valid");
  });
  await step("get token (custom expiry, 60 minutes)", async () => {
    const t = await client.getToken(user, ["voip"], { tokenExpiresInMinutes: 60 });
    const minutes = (t.expiresOn.getTime() - Date.now()) / 60e3;
    assert.ok(minutes > 59 && minutes <= 60.1, `${minutes}`);
  });
  await step("get token (chat.join scope)", async () => {
    await client.getToken(user, ["chat.join", "voip.join"]);
  });
  await step("create user and token", async () => {
    const r = await client.createUserAndToken(["chat", "voip"], { tokenExpiresInMinutes: 120 });
    user2 = r.user;
    token2 = r.token;
    assert.match(user2.communicationUserId, /^8:acs:/);
  });
  await step("revoke tokens", async () => {
    await client.revokeTokens(user);
    assert.equal(await validate(endpoint, first.token), "revoked");
  });
  await step("delete user", async () => {
    await client.deleteUser(user2);
    assert.equal(await validate(endpoint, token2), "identityDeleted");
  });
  await step("error: expiry 59 minutes -> 400 ValidationError", async () => {
    const e = await expectError(client.getToken(user, ["chat"], { tokenExpiresInMinutes: 59 }), 400, "ValidationError");
    assert.match(e.message, /ExpiresInMinutes value 59 is invalid/);
  });
  await step("error: expiry 1441 minutes on create -> 400 ValidationError", async () => {
    await expectError(client.createUserAndToken(["chat"], { tokenExpiresInMinutes: 1441 }), 400, "ValidationError");
  });
  await step("error: token for a deleted user -> 404 IdentityNotFound", async () => {
    await expectError(client.getToken(user2, ["chat"]), 404, "IdentityNotFound");
  });
  await step("error: no scopes -> 400 ValidationError", async () => {
    await expectError(client.getToken(user, []), 400, "ValidationError");
  });
  await step("Teams user token exchange", async () => {
    const appId = "00000000-0000-0000-0000-000000000001";
    const oid = "00000000-0000-0000-0000-000000000002";
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const aad = entraToken({ exp, appid: appId, oid });
    const t = await client.getTokenForTeamsUser({ teamsUserAadToken: aad, clientId: appId, userObjectId: oid });
    assert.equal(t.expiresOn.getTime(), exp * 1000);
    await expectError(
      client.getTokenForTeamsUser({ teamsUserAadToken: aad, clientId: "00000000-0000-0000-0000-00000000000f", userObjectId: oid }),
      400,
      "ValidationError",
    );
  });
  await step("delete the first user", async () => {
    await client.deleteUser(user);
  });
}

const tls = process.env.EMU_TLS_CONNECTION_STRING;
const httpEndpoint = process.env.EMU_HTTP_ENDPOINT;
const key = process.env.EMU_ACCESS_KEY;
assert.ok(tls && httpEndpoint && key, "EMU_TLS_CONNECTION_STRING, EMU_HTTP_ENDPOINT and EMU_ACCESS_KEY must be set");
const tlsEndpoint = /endpoint=(.*?)\/?;/i.exec(tls)[1];

await flow("js https connection string", new CommunicationIdentityClient(tls), tlsEndpoint);
await flow(
  "js http key credential",
  new CommunicationIdentityClient(httpEndpoint, new AzureKeyCredential(key), { allowInsecureConnection: true }),
  httpEndpoint,
);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
