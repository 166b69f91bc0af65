// A child process for the check-in crash test: opens the database given in argv, does one step with the
// real engine and check-in effects (opt in, link family, or deliver a check-in timer job), prints
// DONE <json> once it committed, and waits to be killed with SIGKILL.
import { openDatabase } from "../../src/storage/database.ts";
import { createCheckinHarness, optIn } from "./checkin-harness.ts";

const [target, dataKey, pseudonymKey, step, key, name, job] = process.argv.slice(2);
const db = target!.startsWith("postgres")
  ? await openDatabase({ kind: "postgres", url: target! })
  : await openDatabase({ kind: "pglite", dir: target! });
const keys = {
  dataKeys: [Buffer.from(dataKey!, "base64")],
  pseudonymKey: Buffer.from(pseudonymKey!, "base64"),
};
const h = await createCheckinHarness(db, keys, new Date("2026-12-01T02:00:00Z"));
let result: unknown = null;
if (step === "optin") {
  const code = await optIn(h, key!);
  await h.send(`${key}-family`, { type: "command", command: "start" }, "telegram");
  await h.send(`${key}-family`, { type: "text", text: code }, "telegram");
  result = code;
} else if (step === "fire") {
  result = await h.fire(key!, name!, job);
}
process.stdout.write(`DONE ${JSON.stringify(result)}\n`);
setInterval(() => {}, 1000);
