// The official JS common SDK's Entra credential (@azure/communication-common 2.5.0,
// AzureCommunicationTokenCredential with EntraCommunicationTokenCredentialOptions)
// against acs-identity-emulator, through both exchange endpoints. The assignments it
// relies on are created beforehand with this repository's own client (the
// `acs-identity` command line, in ../run.sh).
//
// Environment (set by ../run.sh):
//   EMU_TLS_ENDPOINT     endpoint of an emulator started with --tls (the credential
//                        refuses plain http; NODE_EXTRA_CA_CERTS names the CA)
//   ENTRA_TENANT, ENTRA_USER, ENTRA_APP   the ids the assignments were made for
import { AzureCommunicationTokenCredential } from "@azure/communication-common";
import assert from "node:assert/strict";

const endpoint = process.env.EMU_TLS_ENDPOINT;
const tenant = process.env.ENTRA_TENANT;
const user = process.env.ENTRA_USER;
const app = process.env.ENTRA_APP;
let passed = 0;
let failed = 0;

function b64url(obj) {
  return Buffer.from(JSON.stringify(obj)).toString("base64url");
}

/** A stand-in for the user's Entra credential: an unsigned JWT with tid, oid, appid, exp. */
function fakeEntraCredential(claims) {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const token = `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url({ exp, ...claims })}.c2ln`;
  return {
    calls: 0,
    async getToken(scopes) {
      this.calls += 1;
      this.scopes = scopes;
      return { token, expiresOnTimestamp: exp * 1000 };
    },
    exp,
  };
}

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
}

async function validate(token) {
  const r = await fetch(`${endpoint}/_emulator/tokens:validate`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  assert.equal(r.status, 200);
  return r.json();
}

async function check(name, f) {
  try {
    await f();
    passed += 1;
    console.log(`ok   js entra credential: ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL js entra credential: ${name}: ${e?.stack ?? e}`);
  }
}

await check("Teams Extension scope -> /access/teamsExtension (2025-06-30)", async () => {
  const entra = fakeEntraCredential({ tid: tenant, oid: user, appid: app });
  const credential = new AzureCommunicationTokenCredential({
    resourceEndpoint: endpoint,
    tokenCredential: entra,
    scopes: ["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls"],
  });
  const token = await credential.getToken();
  assert.ok(token.token.length > 0);
  assert.equal(Math.floor(token.expiresOnTimestamp / 1000), entra.exp, "expires with the Entra token");
  const validation = await validate(token.token);
  assert.equal(validation.reason, "valid", JSON.stringify(validation));
  assert.equal(validation.identity, `8:acs:${validation.identity.split(":")[2].split("_")[0]}_${tenant}_${user}`);
  assert.deepEqual(entra.scopes, ["https://auth.msft.communication.azure.com/TeamsExtension.ManageCalls"]);
  credential.dispose();
});

await check("default scope -> /access/entra (2025-03-02-preview)", async () => {
  const entra = fakeEntraCredential({ tid: tenant, oid: user, appid: app });
  const credential = new AzureCommunicationTokenCredential({
    resourceEndpoint: endpoint,
    tokenCredential: entra,
  });
  const token = await credential.getToken();
  const validation = await validate(token.token);
  assert.equal(validation.reason, "valid", JSON.stringify(validation));
  assert.ok(validation.identity.includes(`_wf_${tenant}_${user}`), validation.identity);
  assert.ok(claimsOf(token.token).exp <= entra.exp);
  credential.dispose();
});

await check("no assignment for the user -> the emulator's 401 reaches the caller", async () => {
  const stranger = "00000000-0000-4000-8000-0000000000aa";
  const credential = new AzureCommunicationTokenCredential({
    resourceEndpoint: endpoint,
    tokenCredential: fakeEntraCredential({ tid: tenant, oid: stranger, appid: app }),
  });
  await assert.rejects(credential.getToken(), (e) => {
    assert.match(String(e?.message ?? e), /401|AssignmentNotFound|assignment/i);
    return true;
  });
  credential.dispose();
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
