// A child process for crash tests: runs the real engine, job queue and dispatcher on a database
// given in argv, with a sender that reports each delivery to the parent's recorder over HTTP.
// Modes: "commit" applies one event whose reply and timer are committed but not yet sent (the
// dispatcher is not started), then prints COMMITTED and waits to be killed; "hang" commits two
// replies to one person and starts a dispatcher whose send of the first never finishes (its claim
// is renewed meanwhile), prints CLAIMED and waits to be killed; "run" starts everything and keeps
// delivering until killed.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { Dispatcher } from "../../src/bot/dispatcher.ts";
import { Engine, TIMER_QUEUE } from "../../src/bot/engine.ts";
import { caseEffectHandlers } from "../../src/bot/engine-effects.ts";
import { timerInbound } from "../../src/bot/engine-timers.ts";
import { JobQueue } from "../../src/bot/jobs.ts";
import { textOf } from "../../src/flows/message.ts";
import { Sealer } from "../../src/storage/crypto.ts";
import { openDatabase } from "../../src/storage/database.ts";
import { echoMachine } from "./echo-flow.ts";
import { noCases } from "./test-engine.ts";

const [mode, target, recorderUrl, keyB64] = process.argv.slice(2);
const db = target!.startsWith("postgres")
  ? await openDatabase({ kind: "postgres", url: target! })
  : await openDatabase({ kind: "pglite", dir: target! });
const log = pino({ level: "silent" });
const sealer = new Sealer([Buffer.from(keyB64 ?? randomBytes(32).toString("base64"), "base64")]);
const jobs = new JobQueue({ db, log, pollingIntervalSeconds: 0.5 });
await jobs.start();
await jobs.ensureQueue(TIMER_QUEUE);
const dispatcher = new Dispatcher({
  db,
  sealer,
  log,
  pollMs: 100,
  exclusive: db.kind === "pglite",
  senders: {
    console: {
      async send(_address, message, meta) {
        if (mode === "hang") {
          process.stdout.write("CLAIMED\n");
          await new Promise(() => {});
        }
        const text = textOf(message) ?? "";
        await fetch(recorderUrl!, {
          method: "POST",
          body: JSON.stringify({ key: meta.idempotencyKey, text }),
        });
        return undefined;
      },
    },
  },
});
const engine = new Engine({
  db,
  sealer,
  jobs,
  log,
  flow: { id: "echo", version: 1, machine: echoMachine },
  effects: caseEffectHandlers(noCases),
  channels: { console: { numbersChoices: () => false } },
  conversationTtlMs: 3_600_000,
  onOutbox: () => dispatcher.kick(),
});
if (mode === "commit") {
  await engine.handle({
    conversationKey: "k-crash",
    channel: "console",
    externalId: "crash-1",
    address: "a-crash",
    event: { type: "user.message", message: { type: "text", text: "timer" } },
  });
  process.stdout.write("COMMITTED\n");
} else if (mode === "hang") {
  for (const [i, text] of ["first", "second"].entries()) {
    await engine.handle({
      conversationKey: "k-hang",
      channel: "console",
      externalId: `hang-${i}`,
      address: "a-hang",
      event: { type: "user.message", message: { type: "text", text } },
    });
  }
  dispatcher.start();
} else {
  await jobs.work(TIMER_QUEUE, async (data, jobId) => {
    await engine.handle(timerInbound(data, jobId));
  });
  dispatcher.start();
  process.stdout.write("RUNNING\n");
}
setInterval(() => {}, 1000);
