// Runs C2SP x509-limbo test cases against the trust core (in process, as `ruqsat verify` does) and against
// `openssl verify` for context; limbo's expected_result is the reference. Usage: limbo.ts LIMBO_JSON [--strict]
// [--disagreements] [--id SUBSTR]; --strict runs both sides with OpenSSL's -x509_strict profile rules.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustStore, derObjects, decodeCertificate, parseIp } from '../../core-wasm/src/index.ts';

interface Testcase {
  id: string;
  features: string[] | null;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  signature_algorithms: string[] | null;
  key_usage: string[] | null;
  extended_key_usage: string[] | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  expected_peer_name: { kind: 'DNS' | 'IP' | 'RFC822'; value: string } | null;
  expected_peer_names: unknown[] | null;
  max_chain_depth: number | null;
}

const EKU: Record<string, string> = {
  serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4', timeStamping: '1.3.6.1.5.5.7.3.8', OCSPSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
};

// Options limbo can ask for that the core cannot express; such cases are skipped, not guessed.
function unsupported(t: Testcase): string | null {
  if (t.key_usage?.length) return 'key_usage (leaf KU constraint not a verify option)';
  if (t.signature_algorithms?.length) return 'signature_algorithms';
  if (t.expected_peer_names?.length) return 'expected_peer_names';
  if (t.expected_peer_name && t.expected_peer_name.kind !== 'DNS' && t.expected_peer_name.kind !== 'IP') return `peer name kind ${t.expected_peer_name.kind}`;
  if ((t.extended_key_usage?.length ?? 0) > 1) return 'more than one EKU';
  if (t.extended_key_usage?.some((e) => !EKU[e])) return `EKU ${t.extended_key_usage}`;
  return null;
}

function ours(t: Testcase): { ok: boolean; code: string; message: string } {
  const store = new TrustStore();
  try {
    for (const p of t.trusted_certs) for (const d of derObjects(p, ['CERTIFICATE'])) store.addAnchor(decodeCertificate(d));
  } catch (err) {
    // `ruqsat verify` refuses such a --ca file outright.
    return { ok: false, code: 'MALFORMED', message: `trusted certificate: ${(err as Error).message}` };
  }
  const time = t.validation_time ? Date.parse(t.validation_time) / 1000 : undefined;
  const r = store.verifyBytes(t.peer_certificate, {
    intermediates: t.untrusted_intermediates, time, host: t.expected_peer_name?.value,
    purpose: t.extended_key_usage?.length ? EKU[t.extended_key_usage[0]] : undefined,
    // maxDepth counts the leaf, limbo's depth only the intermediates; neither counts self-issued ones.
    maxDepth: t.max_chain_depth === null ? undefined : t.max_chain_depth + 1,
    strict: STRICT,
  });
  return { ok: r.ok, code: r.code, message: r.message };
}

function openssl(t: Testcase, dir: string): string {
  const f = (name: string, pems: string[]) => (writeFileSync(join(dir, name), pems.join('')), join(dir, name));
  const args = ['verify', ...(STRICT ? ['-x509_strict'] : []), '-CAfile', f('ca.pem', t.trusted_certs)];
  if (t.untrusted_intermediates.length) args.push('-untrusted', f('untrusted.pem', t.untrusted_intermediates));
  args.push('-attime', String(Math.floor(t.validation_time ? Date.parse(t.validation_time) / 1000 : Date.now() / 1000)));
  const name = t.expected_peer_name;
  if (name) args.push(parseIp(name.value) ? '-verify_ip' : '-verify_hostname', name.value);
  if (t.extended_key_usage?.[0] === 'serverAuth') args.push('-purpose', 'sslserver');
  if (t.max_chain_depth !== null) args.push('-verify_depth', String(t.max_chain_depth));
  args.push(f('leaf.pem', [t.peer_certificate]));
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) return 'n/a';
  return r.status === 0 ? 'SUCCESS' : 'FAILURE';
}

const argv = process.argv.slice(2);
const STRICT = argv.includes('--strict');
const file = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--id');
if (!file) {
  process.stderr.write('usage: limbo.ts LIMBO_JSON [--strict] [--disagreements] [--id SUBSTR]\n');
  process.exit(64);
}
const only = argv.includes('--id') ? argv[argv.indexOf('--id') + 1] : undefined;
const showAll = !argv.includes('--disagreements');
const cases = (JSON.parse(readFileSync(file, 'utf8')) as { testcases: Testcase[] }).testcases.filter((t) => !only || t.id.includes(only));
const dir = mkdtempSync(join(tmpdir(), 'ruqsat-limbo-'));
const skipped = new Map<string, number>();
let agree = 0;
const rows: string[][] = [];
try {
  for (const t of cases) {
    const why = unsupported(t);
    if (why) {
      skipped.set(why, (skipped.get(why) ?? 0) + 1);
      if (showAll) rows.push([t.id, t.expected_result, 'SKIP', openssl(t, dir), why]);
      continue;
    }
    const r = ours(t);
    const got = r.ok ? 'SUCCESS' : 'FAILURE';
    if (got === t.expected_result) agree++;
    if (showAll || got !== t.expected_result) rows.push([t.id, t.expected_result, got, openssl(t, dir), r.ok ? '' : `${r.code}: ${r.message}`]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const header = ['id', 'expected', 'ours', 'openssl', 'our error'];
const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i < 4 ? r[i].length : 0))));
for (const r of [header, ...rows]) process.stdout.write(r.map((c, i) => (i < 4 ? c.padEnd(width[i]) : c)).join('  ') + '\n');
const nSkipped = [...skipped.values()].reduce((a, b) => a + b, 0);
const ran = cases.length - nSkipped;
process.stdout.write(`\ncases ${cases.length}, ran ${ran}, agree ${agree}, disagree ${ran - agree}, skipped ${nSkipped}\n`);
for (const [why, n] of skipped) process.stdout.write(`  skipped ${n}: ${why}\n`);
process.exitCode = ran === agree ? 0 : 1;
