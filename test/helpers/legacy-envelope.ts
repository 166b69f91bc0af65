import { createCipheriv, createHash, randomBytes } from "node:crypto";
/** An envelope as sealed before places were bound: version 1, no associated data. */
export function legacyEnvelope(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const id = createHash("sha256").update(key).digest().subarray(0, 4);
  return Buffer.concat([Buffer.of(1), id, iv, cipher.getAuthTag(), body]);
}
