// get_token throughput of the official JS SDK (@azure/communication-identity 1.3.1).
//
//   node get_token.mjs 16
//
// Environment (set by ../official_sdks.sh): ACS_SDK_NODE_BASE (a directory whose
// node_modules holds the SDK: tests/interop/js), ACS_BENCH_CONNECTION_STRING (a plain-http
// emulator), ACS_BENCH_USER_ID, ACS_BENCH_EMULATOR_PID, ACS_BENCH_SECS. One client shared by
// N async callers; prints one `RESULT {json}` line in the format of benches/throughput.rs.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";

const require = createRequire(path.join(process.env.ACS_SDK_NODE_BASE, "package.json"));
const { CommunicationIdentityClient } = require("@azure/communication-identity");
const { AzureKeyCredential } = require("@azure/core-auth");

const WARM_UP = 0.5;
const concurrency = Number(process.argv[2] ?? "1");
const secs = Number(process.env.ACS_BENCH_SECS ?? "2");
const emuPid = process.env.ACS_BENCH_EMULATOR_PID ?? "-";
const userId = process.env.ACS_BENCH_USER_ID;

const parts = Object.fromEntries(
  process.env.ACS_BENCH_CONNECTION_STRING.split(";")
    .filter((p) => p.includes("="))
    .map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim()];
    }),
);
const endpoint = parts.endpoint.replace(/\/+$/, "");
const port = Number(new URL(endpoint).port);

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

// Same keys as tcp_connection_keys in benches/throughput.rs: "clientPort/inode".
function tcpConnectionKeys() {
  const keys = new Set();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines;
    try {
      lines = readFileSync(file, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const lp = parseInt(cols[1].split(":").pop(), 16);
      const rp = parseInt(cols[2].split(":").pop(), 16);
      const state = cols[3];
      if (rp === port && lp !== port) keys.add(`${lp}/${cols[9]}`);
      else if (lp === port && rp !== 0 && state !== "01" && state !== "0A") keys.add(`${rp}/0`);
    }
  }
  return keys;
}

const before = tcpConnectionKeys();
const client = new CommunicationIdentityClient(endpoint, new AzureKeyCredential(parts.accesskey), {
  allowInsecureConnection: true,
});
const user = { communicationUserId: userId };
const scopes = ["chat", "voip"];

const now = () => performance.now() / 1000;
const start = now();
const measureFrom = start + WARM_UP;
const end = measureFrom + secs;
const latencies = [];
let errors = 0;
let c0, e0, c1, e1;

async function worker() {
  for (;;) {
    const t0 = now();
    if (t0 >= end) return;
    let ok = true;
    try {
      await client.getToken(user, scopes);
    } catch (e) {
      if (errors === 0) console.error(`error: ${e.message}`);
      ok = false;
    }
    const t1 = now();
    if (t0 >= measureFrom && t1 <= end) {
      if (ok) latencies.push(t1 - t0);
      else errors++;
    }
  }
}

const sleep = (s) => new Promise((r) => setTimeout(r, Math.max(0, s * 1000)));
async function edges() {
  await sleep(measureFrom - now());
  c0 = cpuSeconds("self");
  e0 = cpuSeconds(emuPid);
  await sleep(end - now());
  c1 = cpuSeconds("self");
  e1 = cpuSeconds(emuPid);
}

await Promise.all([edges(), ...Array.from({ length: concurrency }, worker)]);
const conns = [...tcpConnectionKeys()].filter((k) => !before.has(k)).length;
latencies.sort((a, b) => a - b);
const pct = (p) =>
  latencies.length === 0
    ? 0
    : latencies[Math.min(latencies.length, Math.max(1, Math.ceil(latencies.length * p))) - 1] * 1000;
const result = {
  client: "JS SDK 1.3.1",
  concurrency,
  calls: latencies.length,
  errors,
  secs,
  calls_per_s: latencies.length / secs,
  p50_ms: pct(0.5),
  p99_ms: pct(0.99),
  rss_mb: process.resourceUsage().maxRSS / 1024,
  conns,
  client_cpu_s: (c1 ?? 0) - (c0 ?? 0),
  emu_cpu_s: e0 != null && e1 != null ? e1 - e0 : null,
};
console.log("RESULT " + JSON.stringify(result));
process.exit(0);
