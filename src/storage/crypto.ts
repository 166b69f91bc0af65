import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

export { DUMMY_PIN_HASH, hashPin, needsRehash, verifyPin } from "./pin-hash.ts";

/**
 * Pseudonymous key of a channel user: `HMAC-SHA256(PSEUDONYM_KEY, channel + ":" + userId)` in hex.
 * The same person on another channel gets another key; the raw id is never stored.
 */
export function pseudonym(pseudonymKey: Buffer, channel: string, userId: string | number): string {
  return createHmac("sha256", pseudonymKey).update(`${channel}:${userId}`).digest("hex");
}

/** Envelopes written before associated data (opened only by a sealer that accepts legacy ones). */
const LEGACY_VERSION = 1;
const ENVELOPE_VERSION = 2;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 4;

/**
 * Where sealed values live: the associated data each one is bound to (table, column and row id,
 * or purpose and owner key). A value copied to another place fails to open.
 */
export const sealedAt = {
  conversationSnapshot: (key: string) => `conversation.snapshot_sealed:${key}`,
  conversationAddress: (key: string) => `conversation.address_sealed:${key}`,
  caseAccess: (key: string) => `conversation.channel_state.case_access:${key}`,
  ownCases: (key: string) => `conversation.channel_state.own_cases:${key}`,
  reportContent: (id: string) => `report.content_sealed:${id}`,
  caseMessageBody: (id: string) => `case_message.body_sealed:${id}`,
  officerAddress: (id: string) => `officer.address_sealed:${id}`,
  reporterPush: (conversationKey: string) => `job.reporter-push:${conversationKey}`,
  checkinDetails: (conversationKey: string) => `checkin.details_sealed:${conversationKey}`,
  /**
   * An outbox message's payload, bound to its recipient and its idempotency key (unique, and known
   * before the insert, unlike the row id); JSON keeps the two parts apart, as both may hold colons.
   */
  outboxPayload: (targetKey: string, idempotencyKey: string) =>
    `outbox_message.payload_sealed:${JSON.stringify([targetKey, idempotencyKey])}`,
  evidenceData: (id: string) => `evidence.data_sealed:${id}`,
} as const;

/** A sealed value that does not open at the place it was read from: moved, altered or truncated. */
export class SealTamperedError extends Error {
  override readonly name = "SealTamperedError";
}

export interface SealerOptions {
  /** Opens version-1 envelopes (no associated data); only `keys rotate` needs this. */
  acceptLegacy?: boolean;
  /** Told the place of every value that fails to open; never given the plaintext. */
  onTamper?: (place: string) => void;
}

/**
 * AES-256-GCM sealing for data at rest. The envelope carries a key id, so `DATA_KEY` can hold
 * several comma-separated keys: the first seals, all open (rotation without downtime). Each value
 * is bound to its place ({@link sealedAt}) as GCM associated data.
 * Layout: version(1) | keyId(4) | iv(12) | tag(16) | ciphertext; version 2 has associated data.
 */
export class Sealer {
  private readonly current: { id: Buffer; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(
    keys: readonly Buffer[],
    private readonly options: SealerOptions = {},
  ) {
    if (keys.length === 0) throw new Error("Sealer needs at least one key");
    for (const key of keys) {
      if (key.length !== 32) throw new Error("DATA_KEY must be 32 bytes");
      this.byId.set(keyId(key).toString("hex"), key);
    }
    const first = keys[0]!;
    this.current = { id: keyId(first), key: first };
  }

  /** Seals `plain` for `place` (see {@link sealedAt}); the empty place is unbound. */
  seal(plain: Uint8Array | string, place = ""): Buffer {
    const iv = nextIv();
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(associatedData(place));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(ENVELOPE_VERSION), this.current.id, iv, cipher.getAuthTag(), body]);
  }

  /**
   * Opens an envelope read from `place`; throws when it was sealed with an unknown key, and throws
   * {@link SealTamperedError} (after telling `onTamper`) when it was altered or sealed elsewhere.
   */
  open(sealed: Uint8Array, place = ""): Buffer {
    const buf = Buffer.from(sealed);
    const version = buf[0];
    const legacy = version === LEGACY_VERSION && this.options.acceptLegacy === true;
    const known = version === ENVELOPE_VERSION || version === LEGACY_VERSION;
    if (buf.length < 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES || !known)
      throw new Error("not a sealed envelope");
    if (version === LEGACY_VERSION && !legacy) {
      throw this.tampered(place, "has no place bound (run keys rotate)");
    }
    const id = buf.subarray(1, 1 + KEY_ID_BYTES).toString("hex");
    const key = this.byId.get(id);
    if (!key) throw new Error(`sealed with an unknown key (id ${id})`);
    const ivStart = 1 + KEY_ID_BYTES;
    const iv = buf.subarray(ivStart, ivStart + IV_BYTES);
    const tag = buf.subarray(ivStart + IV_BYTES, ivStart + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    if (!legacy) decipher.setAAD(associatedData(place));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(buf.subarray(ivStart + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw this.tampered(place, "does not open here: altered or moved");
    }
  }

  /** {@link open}, but undefined (after telling `onTamper`) when the value does not open at `place`. */
  tryOpen(sealed: Uint8Array, place: string): Buffer | undefined {
    try {
      return this.open(sealed, place);
    } catch (error) {
      if (error instanceof SealTamperedError) return undefined;
      throw error;
    }
  }

  /** Whether `sealed` is an envelope from before associated data (to be re-sealed by `keys rotate`). */
  static isLegacy(sealed: Uint8Array): boolean {
    return sealed[0] === LEGACY_VERSION;
  }

  sealJson(value: unknown, place = ""): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.seal(JSON.stringify(value), place));
  }

  openJson<T = unknown>(sealed: Uint8Array, place = ""): T {
    return JSON.parse(this.open(sealed, place).toString("utf8")) as T;
  }

  private tampered(place: string, why: string): SealTamperedError {
    this.options.onTamper?.(place);
    return new SealTamperedError(`sealed value at ${place || "(unbound)"} ${why}`);
  }
}

/*
 * IVs are random (96 bits from the CSPRNG, as NIST SP 800-38D allows), drawn from a pool filled
 * a few hundred at a time: one small synchronous `randomBytes` per seal cost a few percent of the
 * service's CPU under load. Each IV is copied out and its bytes are never handed out again.
 */
const IV_POOL_BYTES = IV_BYTES * 512;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = Buffer.from(ivPool.subarray(ivOffset, ivOffset + IV_BYTES));
  ivOffset += IV_BYTES;
  return iv;
}

function associatedData(place: string): Buffer {
  return Buffer.from(`suara-aman/seal/v2|${place}`, "utf8");
}

function keyId(key: Buffer): Buffer {
  return createHash("sha256").update(key).digest().subarray(0, KEY_ID_BYTES);
}

/** SHA-256 hex of bytes or text (invite code hashes). */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
