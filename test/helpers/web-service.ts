import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { Writable } from "node:stream";
import { webChannel } from "../../src/bot/channels/web/web-channel.ts";
import { createLogger } from "../../src/bot/logger.ts";
import { type Service, type ServiceOptions, startService } from "../../src/bot/service.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { Keys } from "../../src/storage/keys.ts";
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from "./databases.ts";

/** The real service with the web chat, listening on a fixed local port so it can be restarted in place. */
export interface WebService {
  svc: Service;
  db: TestDatabase;
  url: string;
  /** Every log line the service wrote (debug level), for privacy checks. */
  logs: string[];
  /** Stops the service (open streams drop) and starts it again on the same port, database and keys. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebService(
  kind: TestDatabaseKind,
  env: Record<string, string> = {},
  opts: { plugins?: (config: Config) => NonNullable<ServiceOptions["plugins"]> } = {},
): Promise<WebService> {
  const db = await openTestDatabase(kind);
  const port = await freePort();
  // The quick exit goes to the service's own health page, so no test leaves the machine.
  const exit = `http://127.0.0.1:${port}/healthz`;
  const config = loadConfig({ NODE_ENV: "test", PORT: String(port), WEB_EXIT_URL: exit, ...env });
  const keys: Keys = { dataKeys: [randomBytes(32)], pseudonymKey: randomBytes(32) };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const start = () =>
    startService({
      config,
      log: createLogger("debug", sink),
      keys,
      db,
      channels: [webChannel()],
      ...(opts.plugins ? { plugins: opts.plugins(config) } : {}),
      jobPollSeconds: 0.5,
    });
  const out: WebService = {
    svc: await start(),
    db,
    url: `http://127.0.0.1:${port}`,
    logs,
    async restart() {
      await out.svc.close();
      out.svc = await start();
    },
    async close() {
      await out.svc.close();
      await db.destroy();
    },
  };
  return out;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
