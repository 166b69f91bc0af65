import { chmod, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Makes a folder tree private to the service's user: folders 0700, files 0600. The embedded
 * database's file system layer creates its files world-readable and writable (0666) whatever the
 * umask, so this runs when the database opens and again when it closes; in between, the 0700 top
 * folder keeps everyone else out of the new files.
 */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  await Promise.all(
    entries.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      if (entry.isDirectory()) return chmod(path, 0o700);
      if (entry.isFile()) return chmod(path, 0o600);
      return undefined;
    }),
  );
}
