import {
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt as scryptCb,
  timingSafeEqual,
} from "node:crypto";
import { promisify } from "node:util";
import pLimit from "p-limit";

const scrypt = promisify(scryptCb) as (
  password: Buffer | string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** scrypt work factors. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's recommended scrypt parameters (2^17, 8, 1): 128 MiB and a few hundred ms per hash. */
export const OWASP_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/** Memory scrypt may use: twice what {@link OWASP_SCRYPT} needs (128 · N · r bytes). */
const MAX_MEMORY = 256 * 1024 * 1024;
/** Hashes running at once, so a burst of PIN checks cannot take more than ~256 MiB. */
const PIN_HASH_CONCURRENCY = 2;
const HASH_BYTES = 32;

let cost: ScryptCost = OWASP_SCRYPT;
const peppers = new Map<string, Buffer>();
let currentPepper: { id: string; key: Buffer } | undefined;
const queue = pLimit(PIN_HASH_CONCURRENCY);

/**
 * The pepper for PIN hashes, derived (HKDF-SHA256) from the pseudonym key, which never changes in a
 * deployment: a stolen database alone cannot be used to try PINs offline.
 */
export function pinPepperKey(pseudonymKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", pseudonymKey, Buffer.alloc(0), "suara-aman pin pepper v1", 32));
}

/**
 * Makes `key` the pepper of new PIN hashes. Earlier peppers stay known for verifying, found by the
 * id each hash carries (several services in one process, as in the tests, each keep working).
 */
export function usePinPepper(key: Buffer): void {
  const id = createHash("sha256").update(key).digest("hex").slice(0, 8);
  peppers.set(id, key);
  currentPepper = { id, key };
}

/**
 * Sets the scrypt cost of new hashes. Production never calls it and keeps {@link OWASP_SCRYPT}; a
 * test suite may lower it explicitly. Stored hashes keep the cost they were made with.
 */
export function setPinHashCost(next: ScryptCost): void {
  cost = next;
}

/**
 * Slow, peppered hash of a report PIN: `scrypt$N$r$p$<salt b64>$<hash b64>$<pepper id>`, scrypt over
 * `HMAC-SHA256(pepper, pin)`. Without a pepper (none set in this process) the last field is left
 * out and scrypt runs over the PIN itself, as hashes made before peppers were.
 */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const c = cost;
  const pepper = currentPepper;
  const hash = await run(pepper ? peppered(pepper.key, pin) : pin, salt, HASH_BYTES, c);
  const fields = ["scrypt", c.N, c.r, c.p, salt.toString("base64"), hash.toString("base64")];
  if (pepper) fields.push(pepper.id);
  return fields.join("$");
}

/**
 * A stored hash for checks that must fail (unknown or locked code) at the cost of a real one.
 * {@link verifyPin} runs scrypt at the current cost for it and returns false.
 */
export const DUMMY_PIN_HASH = `scrypt$0$0$0$${Buffer.alloc(16).toString("base64")}$${Buffer.alloc(32).toString("base64")}`;

/**
 * Checks a PIN against {@link hashPin}'s output in constant time: hashes with or without a pepper,
 * at the cost stored with each. A hash whose pepper is unknown fails.
 */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  if (stored === DUMMY_PIN_HASH) {
    await run(pin, Buffer.alloc(16), HASH_BYTES, cost);
    return false;
  }
  const parsed = parse(stored);
  if (!parsed) return false;
  const pepper = parsed.pepperId === undefined ? undefined : peppers.get(parsed.pepperId);
  if (parsed.pepperId !== undefined && !pepper) return false;
  const input = pepper ? peppered(pepper, pin) : pin;
  const actual = await run(input, parsed.salt, parsed.hash.length, parsed.cost);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** Whether a stored hash is weaker than new ones (lower cost or no pepper) and worth re-hashing. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (!parsed) return false;
  if (parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p) return true;
  return currentPepper !== undefined && parsed.pepperId !== currentPepper.id;
}

function peppered(key: Buffer, pin: string): Buffer {
  return createHmac("sha256", key).update(pin, "utf8").digest();
}

function run(input: Buffer | string, salt: Buffer, bytes: number, c: ScryptCost): Promise<Buffer> {
  return queue(() => scrypt(input, salt, bytes, { ...c, maxmem: MAX_MEMORY }));
}

function parse(
  stored: string,
): { cost: ScryptCost; salt: Buffer; hash: Buffer; pepperId: string | undefined } | undefined {
  const parts = stored.split("$");
  if ((parts.length !== 6 && parts.length !== 7) || parts[0] !== "scrypt") return undefined;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = (v: number, max: number) => Number.isInteger(v) && v >= 1 && v <= max;
  // Bounds keep a tampered row from asking for absurd work or memory.
  if (!valid(n, 2 ** 20) || (n & (n - 1)) !== 0 || !valid(r, 32) || !valid(p, 16)) return undefined;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const hash = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length === 0 || hash.length === 0) return undefined;
  return { cost: { N: n, r, p }, salt, hash, pepperId: parts[6] };
}
