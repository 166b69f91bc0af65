import pino, { type Logger } from "pino";
import { redactDeep } from "./log-redact.ts";

/**
 * Structured JSON logs. Code logs pseudonymous keys only; redaction by key name at any depth
 * (log-redact.ts) is a second line of defence for fields that must never appear (raw ids, phone
 * numbers, texts, tokens, PINs).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const root = pino(
    {
      level,
      base: { service: "suara-aman" },
      // By key pattern at any depth, in every log call's object…
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
  // …and in child loggers' bindings, which pino's formatters never see. Children inherit from
  // their parent, so every descendant goes through this.
  const child = root.child;
  root.child = function redactedChild(this: Logger, bindings, options) {
    return child.call(this, redactDeep(bindings) as typeof bindings, options);
  } as typeof root.child;
  return root;
}
