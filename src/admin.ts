import {
  ADMIN_USAGE,
  AdminUsageError,
  createInvite,
  exportEvidence,
  exportStats,
  parseAdminArgs,
} from "./bot/officers/admin-commands.ts";
import { ContactsError, loadContacts } from "./bot/officers/contacts.ts";
import { acquireDataDirLock } from "./bot/pglite-lock.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { appendAudit } from "./storage/audit.ts";
import { checkinStats } from "./storage/checkins.ts";
import { Sealer } from "./storage/crypto.ts";
import { type Database, openDatabase } from "./storage/database.ts";
import { resolveKeys } from "./storage/keys.ts";
import { applyPendingMigrations } from "./storage/migration-status.ts";
import { resealAll } from "./storage/reseal.ts";

/** `npm run admin -- …`: statistics for the task force, officer invites, evidence export. */
async function admin(argv: string[]): Promise<number> {
  let command: ReturnType<typeof parseAdminArgs>;
  try {
    command = parseAdminArgs(argv);
  } catch (error) {
    if (!(error instanceof AdminUsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${ADMIN_USAGE}\n`);
    return 2;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" });
  const contacts = loadContacts(config.CONTACTS_FILE);
  let release: (() => Promise<void>) | undefined;
  let db: Database;
  const target = config.DATABASE_URL;
  if (target.kind === "pglite") {
    release = await acquireDataDirLock(target.dir);
    db = await openDatabase({ kind: "pglite", dir: target.dir });
  } else {
    db = await openDatabase({ kind: "postgres", url: target.url, poolSize: 2 });
  }
  try {
    await applyPendingMigrations(db);
    switch (command.type) {
      case "stats": {
        const { csvPath, svgPath, stats } = await exportStats(db, {
          from: command.from,
          to: command.to,
          outDir: command.out,
          timeZone: contacts.timezone,
        });
        const checkins = await checkinStats(db);
        process.stdout.write(
          `${stats.total} reports from ${stats.from} to ${command.to}\n${csvPath}\n${svgPath}\n` +
            `check-ins now: ${checkins.active} active, ${checkins.missed} missed, ` +
            `${checkins.alertsSent} family alerts sent, ${checkins.casesOpened} cases opened\n`,
        );
        return 0;
      }
      case "invite": {
        const { code, expiresAt } = await createInvite(db, contacts, command.officerId, {
          hours: command.hours,
        });
        process.stdout.write(
          `Invite code for ${command.officerId}: ${code}\nValid until ${expiresAt.toISOString()} (one use).\n` +
            `The officer sends this to the bot in a private chat:\n  /daftar ${code}\n`,
        );
        return 0;
      }
      case "rotate": {
        const keys = await resolveKeys(config, config.DATA_DIR, () => {});
        const counts = await resealAll(db, new Sealer(keys.dataKeys, { acceptLegacy: true }));
        await db.transaction((tx) =>
          appendAudit(tx, { actor: "admin", action: "keys.rotated", details: counts }),
        );
        const lines = Object.entries(counts).map(([place, n]) => `  ${place}: ${n}\n`);
        process.stdout.write(`Re-sealed with the first DATA_KEY:\n${lines.join("")}`);
        return 0;
      }
      case "evidence": {
        const keys = await resolveKeys(config, config.DATA_DIR, () => {});
        const sealer = new Sealer(keys.dataKeys, {
          onTamper: (place) => process.stderr.write(`refused (altered or moved): ${place}\n`),
        });
        const paths = await exportEvidence(db, sealer, command.code, command.out);
        process.stdout.write(
          `${paths.length} evidence file(s) written:\n${paths.map((p) => `  ${p}\n`).join("")}`,
        );
        return 0;
      }
    }
    return 2;
  } finally {
    await db.close();
    await release?.();
  }
}

admin(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ContactsError) {
      const lines = error instanceof ConfigError ? error.problems : [error.message];
      process.stderr.write(`${lines.join("\n")}\n`);
    } else if (error instanceof AdminUsageError) {
      process.stderr.write(`${error.message}\n\n${ADMIN_USAGE}\n`);
    } else {
      process.stderr.write(
        `admin failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
      );
    }
    process.exit(1);
  },
);
