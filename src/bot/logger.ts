import pino, { type Logger } from "pino";

/**
 * Structured JSON logs. Code logs pseudonymous keys only; the redaction list is a second line of
 * defence for fields that must never appear (raw ids, phone numbers, texts, tokens).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "suara-aman" },
      redact: {
        paths: [
          "text",
          "*.text",
          "chatId",
          "*.chatId",
          "chat_id",
          "*.chat_id",
          "phone",
          "*.phone",
          "waId",
          "*.waId",
          "wa_id",
          "*.wa_id",
          "address",
          "*.address",
          "token",
          "*.token",
          "pin",
          "*.pin",
          "req.headers.authorization",
          'req.headers["x-telegram-bot-api-secret-token"]',
          'req.headers["x-hub-signature-256"]',
        ],
        censor: "[redacted]",
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
