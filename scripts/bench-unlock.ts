/**
 * Time of one unlock with the app's KDF parameters (kdf.ts ARGON2_DEFAULTS), in Node on this machine:
 * enable encryption on an empty fake-indexeddb workspace, then lock + unlock RUNS times (default 5).
 * Unlock = Argon2id derivation + AES-KW unwrap; it is what a user waits for after typing the passphrase.
 * CPU time is printed too: on a shared, loaded machine it is closer to what an idle one takes.
 * `npx tsx scripts/bench-unlock.ts [runs] [pbkdf2]`
 */
import 'fake-indexeddb/auto';
import { openXinanDb } from '../src/lib/storage/db.ts';
import { ARGON2_DEFAULTS, defaultKdf, PBKDF2_ITERATIONS } from '../src/lib/storage/vault/kdf.ts';
import { enableEncryption, lock, unlock } from '../src/lib/storage/vault/vault.ts';

const runs = Number(process.argv[2] ?? 5);
const alg = process.argv[3] === 'pbkdf2' ? 'pbkdf2-sha256' : 'argon2id';
const db = await openXinanDb('bench-unlock');
await enableEncryption(db, 'bench passphrase', { autoLockMinutes: 0, showNames: false }, {}, defaultKdf(alg));
const times: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < runs; i++) {
  lock(db);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await unlock(db, 'bench passphrase');
  const c = process.cpuUsage(c0);
  times.push(performance.now() - t0);
  cpu.push((c.user + c.system) / 1000);
}
times.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
const params = alg === 'argon2id' ? JSON.stringify(ARGON2_DEFAULTS) : `${PBKDF2_ITERATIONS} iterations`;
console.log(
  `${alg} ${params}: unlock median ${times[Math.floor(runs / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)}, max ${times[runs - 1].toFixed(0)} (${runs} runs, Node ${process.version}); CPU time median ${cpu[Math.floor(runs / 2)].toFixed(0)} ms (wall time grows with the machine's load)`,
);
db.close();
