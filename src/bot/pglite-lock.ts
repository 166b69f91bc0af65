import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Another process has the embedded database open. */
export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

/**
 * PGlite allows one process per data folder. A lock file next to it with our pid stops a second
 * process (e.g. `npm run chat` while `npm start` runs) before it can damage the data; a lock left
 * by a dead process is taken over.
 */
export async function acquireDataDirLock(dir: string): Promise<() => Promise<void>> {
  const file = join(dirname(dir), `.${dir.split(/[\\/]/).pop()}.lock`);
  await mkdir(dirname(file), { recursive: true });
  try {
    const pid = Number((await readFile(file, "utf8")).trim());
    if (pid && pid !== process.pid && alive(pid)) {
      throw new DataDirLockedError(
        `the embedded database is in use by another process (pid ${pid}); stop it first, or use another DATABASE_URL`,
      );
    }
  } catch (error) {
    if (error instanceof DataDirLockedError) throw error;
  }
  await writeFile(file, String(process.pid), { mode: 0o600 });
  await chmod(file, 0o600);
  return async () => {
    await rm(file, { force: true });
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
