import type { KeyObject } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { env } from "@/lib/env";

/**
 * Signs RS256 JWTs (access tokens, ~0.35 ms of RSA each) on worker threads, in batches.
 *
 * Why not node:crypto's async `sign` on libuv's pool: each call wakes a pool thread, and on a machine with few
 * cores the woken thread preempts the event loop that dispatched it (a CPU profile of the token endpoint on 2
 * cores put a third of the event loop's wall time inside that dispatch). Here the tokens asked for in one
 * event-loop turn go to a signer in one message and come back in one: a wake-up per batch, not per token.
 * The RSA work still runs off the event loop, on `DCR_SIGNERS` threads (default: this process's share of the
 * cores). jose stays the library for every JWT that is verified or that the dashboard touches.
 */
export function signRs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject) {
  const input = `${b64url({ alg: "RS256", ...header })}.${b64url(payload)}`;
  return new Promise<string>((resolve, reject) => {
    if (queue.push({ input, key, resolve, reject }) === 1) setImmediate(flush);
  });
}

const b64url = (json: unknown) => Buffer.from(JSON.stringify(json)).toString("base64url");

type Job = {
  input: string;
  key: KeyObject;
  /** With the whole JWT. */
  resolve: (jwt: string) => void;
  reject: (e: Error) => void;
};
type Batch = { id: number; inputs: string[]; keyId: number; key?: KeyObject };
/** `jobs`: the tokens sent to it and not yet answered. */
type Signer = { worker: Worker; pending: Map<number, Job[]>; jobs: number; keys: Set<number> };

/**
 * When this process has more than one core's share of the machine, its signers run below the event loop that
 * feeds them (a nice value of their own threads, on Linux): waking a signer must not take the core from the
 * event loop, which accepts, answers and commits, while the RSA work fills the spare cores. With one core's
 * share or less (WEB_CONCURRENCY = cores), event loop and signer split that core as equals: a lower signer
 * would starve. Measured on 2 cores, alternating 4 × 6 s loads of one build: one process 2,772 → 3,059 req/s
 * (nice 5) and 2,808 → 3,014 (nice 5) / 2,976 (nice 10); two workers with nice 5, 2,369–2,711 against
 * 2,900–3,250 without.
 */
const SIGNER_NICE = 5;

// The worker's whole program: lower its priority, keep the keys it is sent, sign what it is asked, answer
// each batch at once.
const PROGRAM = `
const { parentPort, workerData } = require("node:worker_threads");
const { sign } = require("node:crypto");
if (workerData.nice) {
  try {
    const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
    require("node:os").setPriority(tid, workerData.nice);
  } catch {} // not Linux: the thread keeps the process's priority
}
const keys = new Map();
parentPort.on("message", ({ id, inputs, keyId, key }) => {
  if (key) keys.set(keyId, key);
  try {
    const k = keys.get(keyId);
    parentPort.postMessage({ id, signatures: inputs.map((i) => sign("sha256", Buffer.from(i), k).toString("base64url")) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});`;

let queue: Job[] = [];
const signers: Signer[] = [];
let batches = 0;
const keyIds = new WeakMap<KeyObject, number>();
let keys = 0;

function keyIdOf(key: KeyObject): number {
  let id = keyIds.get(key);
  if (id === undefined) keyIds.set(key, (id = ++keys));
  return id;
}

/**
 * Sends the queued jobs, each key's split evenly over the idle signers, or all to the signer with the fewest
 * tokens left to sign when none or one is idle: every message to an idle thread wakes it, while a message to a
 * busy signer waits in its queue without waking anything.
 */
function flush() {
  const jobs = queue;
  queue = [];
  while (signers.length < signerCount()) signers.push(startSigner());
  const byKey = new Map<KeyObject, Job[]>();
  for (const job of jobs) (byKey.get(job.key) ?? byKey.set(job.key, []).get(job.key)!).push(job);
  for (const [key, keyJobs] of byKey) {
    const idle = signers.filter((s) => s.jobs === 0);
    const to = idle.length > 1 ? idle : [signers.reduce((least, s) => (s.jobs < least.jobs ? s : least))];
    const per = Math.ceil(keyJobs.length / to.length);
    to.forEach((signer, i) => {
      const part = keyJobs.slice(i * per, (i + 1) * per);
      if (part.length > 0) send(signer, key, part);
    });
  }
}

function send(signer: Signer, key: KeyObject, jobs: Job[]) {
  const batch: Batch = { id: ++batches, inputs: jobs.map((j) => j.input), keyId: keyIdOf(key) };
  if (!signer.keys.has(batch.keyId)) {
    batch.key = key; // sent once per signer: it keeps it
    signer.keys.add(batch.keyId);
  }
  if (signer.pending.size === 0) signer.worker.ref(); // a batch out keeps the process alive
  signer.pending.set(batch.id, jobs);
  signer.jobs += jobs.length;
  signer.worker.postMessage(batch);
}

function startSigner(): Signer {
  const worker = new Worker(PROGRAM, { eval: true, workerData: { nice: signerNice() } });
  const signer: Signer = { worker, pending: new Map(), jobs: 0, keys: new Set() };
  signer.worker.on("message", (answer: { id: number; signatures?: string[]; error?: string }) => {
    const jobs = signer.pending.get(answer.id) ?? [];
    signer.pending.delete(answer.id);
    signer.jobs -= jobs.length;
    if (signer.pending.size === 0) signer.worker.unref();
    jobs.forEach((job, i) =>
      answer.signatures
        ? job.resolve(`${job.input}.${answer.signatures[i]}`)
        : job.reject(new Error(answer.error)),
    );
  });
  // A signer that dies fails what it held and is replaced at the next batch.
  signer.worker.on("error", (error) => retire(signer, error));
  signer.worker.on("exit", () => retire(signer, new Error("The signing thread exited.")));
  signer.worker.unref(); // an idle signer never keeps the process alive (after the listeners, which ref it)
  return signer;
}

function retire(signer: Signer, error: Error) {
  for (const jobs of signer.pending.values()) for (const job of jobs) job.reject(error);
  signer.pending.clear();
  signer.jobs = 0;
  const index = signers.indexOf(signer);
  if (index !== -1) signers.splice(index, 1);
}

/** The cores this process may use: its share of the machine's. */
const coreShare = () => availableParallelism() / env.WEB_CONCURRENCY;
export const signerNice = () => (coreShare() > 1 ? SIGNER_NICE : 0);
const signerCount = () => env.DCR_SIGNERS ?? Math.max(1, Math.floor(coreShare()));
