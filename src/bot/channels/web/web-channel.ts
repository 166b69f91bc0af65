import { readFileSync } from "node:fs";
import type { Context, Hono, Next } from "hono";
import { allCatalogs } from "../../../flows/content/catalog.ts";
import type { Channel } from "../../channel.ts";
import { SendError } from "../../dispatcher.ts";
import type { ChannelContext, ChannelFactory } from "../../service.ts";
import { mountWebApi, WEB } from "./web-api.ts";

const page = (name: string) => readFileSync(new URL(`./page/${name}`, import.meta.url), "utf8");

/**
 * The anonymous web chat: the page at `/` (static files, no third-party asset), the JSON API and
 * Server-Sent Events of `web-api.ts`. Replies go through the outbox like any channel's; the sender
 * holds them there and wakes the browser's stream, and they count as delivered once the browser
 * acknowledges them, so a closed tab or a restart loses nothing.
 */
export function webChannel(): ChannelFactory {
  return (ctx) => createWebChannel(ctx);
}

function createWebChannel(ctx: ChannelContext): Channel {
  const { config } = ctx;
  const waiting = new Map<string, Set<() => void>>();
  const notify = (key: string) => {
    for (const wake of waiting.get(key) ?? []) wake();
  };
  const wait = (key: string, ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const set = waiting.get(key) ?? new Set();
      waiting.set(key, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        set.delete(done);
        if (set.size === 0 && waiting.get(key) === set) waiting.delete(key);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
      set.add(done);
    });

  const embed = config.WEB_EMBED_ORIGINS;
  const headers = async (c: Context, next: Next) => {
    await next();
    const h = c.res.headers;
    h.set(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        `base-uri 'none'; form-action 'none'; frame-ancestors ${embed ? embed.join(" ") : "'none'"}`,
    );
    if (!embed) h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Cache-Control", "no-store");
    h.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    h.set("Cross-Origin-Opener-Policy", "same-origin");
  };
  const texts = Object.fromEntries(
    [...allCatalogs()].map(([lang, catalog]) => [
      lang,
      Object.fromEntries([...catalog].filter(([k]) => k.startsWith("web.")).map(([k, v]) => [k.slice(4), v])),
    ]),
  );
  const html = page("index.html")
    .replace("{{title}}", escapeHtml(config.WEB_COVER_TITLE))
    .replace("{{exit}}", escapeHtml(config.WEB_EXIT_URL))
    .replace(`{"texts":"filled in by the server"}`, JSON.stringify(texts).replace(/</g, "\\u003c"));
  const script = page("chat.js");
  const style = page("chat.css");

  return {
    name: WEB,
    profile: { numbersChoices: () => false },
    sender: {
      async send(_address, _message, meta) {
        notify(meta.targetKey);
        throw new SendError("waiting for the browser to collect it", "hold");
      },
    },
    mount(app: Hono) {
      for (const path of ["/", "/chat.js", "/chat.css", "/api/*"]) app.use(path, headers);
      app.get("/", (c) => c.html(html));
      app.get("/chat.js", (c) => c.body(script, 200, { "Content-Type": "text/javascript; charset=utf-8" }));
      app.get("/chat.css", (c) => c.body(style, 200, { "Content-Type": "text/css; charset=utf-8" }));
      mountWebApi(app, {
        inbound: ctx.inbound,
        db: ctx.db,
        sealer: ctx.sealer,
        pseudonymKey: ctx.keys.pseudonymKey,
        wait,
        notify,
      });
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
