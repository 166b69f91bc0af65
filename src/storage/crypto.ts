import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

export { DUMMY_PIN_HASH, hashPin, needsRehash, verifyPin } from "./pin-hash.ts";

/**
 * Pseudonymous key of a channel user: `HMAC-SHA256(PSEUDONYM_KEY, channel + ":" + userId)` in hex.
 * The same person on another channel gets another key; the raw id is never stored.
 */
export function pseudonym(pseudonymKey: Buffer, channel: string, userId: string | number): string {
  return createHmac("sha256", pseudonymKey).update(`${channel}:${userId}`).digest("hex");
}

const ENVELOPE_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;

/**
 * AES-256-GCM sealing for data at rest. The envelope carries a key id, so `DATA_KEY` can hold
 * several comma-separated keys: the first seals, all open (rotation without downtime).
 * Layout: version(1) | keyId(4) | iv(12) | tag(16) | ciphertext.
 */
export class Sealer {
  private readonly current: { id: Buffer; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error("Sealer needs at least one key");
    for (const key of keys) {
      if (key.length !== 32) throw new Error("DATA_KEY must be 32 bytes");
      this.byId.set(keyId(key).toString("hex"), key);
    }
    const first = keys[0]!;
    this.current = { id: keyId(first), key: first };
  }

  seal(plain: Uint8Array | string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(ENVELOPE_VERSION), this.current.id, iv, cipher.getAuthTag(), body]);
  }

  /** Opens an envelope; throws when it was tampered with or sealed with an unknown key. */
  open(sealed: Uint8Array): Buffer {
    const buf = Buffer.from(sealed);
    if (buf.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES || buf[0] !== ENVELOPE_VERSION) {
      throw new Error("not a sealed envelope");
    }
    const id = buf.subarray(1, 1 + KEY_ID_BYTES).toString("hex");
    const key = this.byId.get(id);
    if (!key) throw new Error(`sealed with an unknown key (id ${id})`);
    const ivStart = 1 + KEY_ID_BYTES;
    const iv = buf.subarray(ivStart, ivStart + IV_BYTES);
    const tag = buf.subarray(ivStart + IV_BYTES, ivStart + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(buf.subarray(ivStart + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  sealJson(value: unknown): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.seal(JSON.stringify(value)));
  }

  openJson<T = unknown>(sealed: Uint8Array): T {
    return JSON.parse(this.open(sealed).toString("utf8")) as T;
  }
}

function keyId(key: Buffer): Buffer {
  return createHash("sha256").update(key).digest().subarray(0, KEY_ID_BYTES);
}

/** SHA-256 hex of bytes or text (invite code hashes). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
