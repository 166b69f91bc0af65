import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";

/** The two secrets the service needs: sealing keys (first one current) and the pseudonym key. */
export interface Keys {
  dataKeys: Buffer[];
  pseudonymKey: Buffer;
}

const keyFileSchema = z.object({ DATA_KEY: z.string(), PSEUDONYM_KEY: z.string() });

/**
 * Returns the configured keys, or in development generates them once into `<dataDir>/keys.json`
 * (mode 0600) and reuses them afterwards. `warn` is called when the generated keys are used.
 * Production requires both keys in the environment (checked by the config schema).
 */
export async function resolveKeys(
  configured: { DATA_KEY?: Buffer[] | undefined; PSEUDONYM_KEY?: Buffer[] | undefined },
  dataDir: string,
  warn: (message: string) => void,
): Promise<Keys> {
  if (configured.DATA_KEY && configured.PSEUDONYM_KEY) {
    return { dataKeys: configured.DATA_KEY, pseudonymKey: configured.PSEUDONYM_KEY[0]! };
  }
  const file = join(dataDir, "keys.json");
  let stored: z.infer<typeof keyFileSchema>;
  try {
    stored = keyFileSchema.parse(JSON.parse(await readFile(file, "utf8")));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    stored = {
      DATA_KEY: randomBytes(32).toString("base64"),
      PSEUDONYM_KEY: randomBytes(32).toString("base64"),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  }
  warn(
    `using development keys from ${file}; set DATA_KEY and PSEUDONYM_KEY (32 bytes, base64) for production`,
  );
  return {
    dataKeys: configured.DATA_KEY ?? [Buffer.from(stored.DATA_KEY, "base64")],
    pseudonymKey: configured.PSEUDONYM_KEY?.[0] ?? Buffer.from(stored.PSEUDONYM_KEY, "base64"),
  };
}
