import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import type { Logger } from "pino";
import type { Database } from "../storage/database.ts";
import { migrationStatus } from "../storage/migration-status.ts";
import { bodyLimit } from "./body-limit.ts";
import type { Metrics } from "./metrics.ts";

export interface ServerOptions {
  db: Database;
  metrics: Metrics;
  log: Logger;
  /** Number of migrations the code expects to be applied. */
  expectedMigrations: number;
  /** `METRICS_TOKEN`: when set, `/metrics` answers only `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** In production `/metrics` is not served at all without a token (404). */
  production?: boolean;
  /** Whether every channel has started (a messenger's bot identity and webhook); until then not ready. */
  started?: () => boolean;
}

/**
 * The HTTP app: health, readiness, metrics (behind `METRICS_TOKEN` when set; never open in
 * production); channels mount their webhooks on it. One catch-all
 * turns any handler error into a plain 500 without details, so no input can crash the process.
 */
export function createServer(opts: ServerOptions): Hono {
  const app = new Hono();
  // No webhook payload is anywhere near this; a bigger body is refused before it is read.
  app.use(
    "*",
    bodyLimit({
      maxSize: 2 * 1024 * 1024,
      onError: (c) => c.json({ error: "payload too large" }, 413),
    }),
  );
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    if (opts.started && !opts.started()) return c.json({ status: "starting" }, 503);
    try {
      const status = await migrationStatus(opts.db);
      if (status.applied < opts.expectedMigrations || status.failed > 0) {
        return c.json(
          { status: "migrating", applied: status.applied, expected: opts.expectedMigrations },
          503,
        );
      }
      return c.json({ status: "ready", database: opts.db.kind, migrations: status.applied });
    } catch {
      return c.json({ status: "database unreachable" }, 503);
    }
  });
  if (opts.metricsToken) {
    app.use("/metrics", bearerAuth({ token: opts.metricsToken }));
  }
  if (opts.metricsToken || !opts.production) {
    app.get("/metrics", async (c) => {
      c.header("content-type", opts.metrics.registry.contentType);
      return c.body(await opts.metrics.registry.metrics());
    });
  }
  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    opts.log.error({ err: error.message, path: c.req.path }, "request failed");
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}
