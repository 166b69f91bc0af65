import { chmod, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock } from "../../src/bot/pglite-lock.ts";
import { openDatabase } from "../../src/storage/database.ts";

/** Every path under `dir` (itself included) whose mode gives the group or others any access. */
async function openToOthers(dir: string): Promise<string[]> {
  const paths = [dir, ...(await readdir(dir, { recursive: true })).map((p) => join(dir, p))];
  const modes = await Promise.all(paths.map(async (p) => [p, (await stat(p)).mode & 0o077] as const));
  return modes.filter(([, bits]) => bits !== 0).map(([p, bits]) => `${p} ${bits.toString(8)}`);
}

describe("embedded database files", () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("are private to the service's user: files 0600, folders 0700, open and after closing", async () => {
    root = await mkdtemp(join(tmpdir(), "suara-files-"));
    const dir = join(root, "db");
    const release = await acquireDataDirLock(dir);
    const db = await openDatabase({ kind: "pglite", dir });
    try {
      expect((await readdir(dir)).length).toBeGreaterThan(0);
      expect(await openToOthers(dir)).toEqual([]);
      await db.pglite!.exec("CREATE TABLE t (x int); INSERT INTO t VALUES (1)");
    } finally {
      await db.close();
    }
    expect(await openToOthers(dir)).toEqual([]);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, ".db.lock"))).mode & 0o077).toBe(0);
    await release();

    // Reopening an existing folder that someone loosened makes it private again.
    await chmod(dir, 0o755);
    await chmod(join(dir, "PG_VERSION"), 0o666);
    const db2 = await openDatabase({ kind: "pglite", dir });
    try {
      expect(await openToOthers(dir)).toEqual([]);
    } finally {
      await db2.close();
    }
    // Two embedded databases on disk: slow on a busy machine.
  }, 120_000);
});
