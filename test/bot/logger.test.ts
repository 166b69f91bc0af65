import { describe, expect, it } from "vitest";
import { REDACTED } from "../../src/bot/log-redact.ts";
import { createLogger } from "../../src/bot/logger.ts";

/** A logger writing into an array of parsed JSON lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe("log redaction", () => {
  it("redacts sensitive keys at any depth, in arrays too", () => {
    const { log, lines } = capture();
    log.info(
      {
        a: { b: { chatId: 1, c: { d: { e: { phone: "+62 800-0000-0000", waId: "628000000000" } } } } },
        list: [{ text: "laporan rahasia palsu" }, { nested: [{ chat_id: 123456789 }] }],
        conversation: "ab12cd",
      },
      "event",
    );
    const line = lines[0]!;
    expect(line.a).toEqual({
      b: { chatId: REDACTED, c: { d: { e: { phone: REDACTED, waId: REDACTED } } } },
    });
    expect(line.list).toEqual([{ text: REDACTED }, { nested: [{ chat_id: REDACTED }] }]);
    expect(line.conversation).toBe("ab12cd");
    expect(line.msg).toBe("event");
    const raw = JSON.stringify(lines);
    for (const secret of ["+62 800", "628000000000", "rahasia", "123456789"])
      expect(raw).not.toContain(secret);
  });

  it("redacts by pattern: tokens, secrets, signatures and PINs under any name", () => {
    const { log, lines } = capture();
    log.warn({
      req: {
        headers: {
          authorization: "Bearer fake-bearer",
          "x-telegram-bot-api-secret-token": "fake-secret-header",
          "x-hub-signature-256": "sha256=fakesig",
        },
      },
      config: { WHATSAPP_ACCESS_TOKEN: "fake-access", appSecret: "fake-app-secret", pin: "482913" },
      reason: "too_large",
    });
    const raw = JSON.stringify(lines[0]);
    for (const secret of [
      "fake-bearer",
      "fake-secret-header",
      "fakesig",
      "fake-access",
      "fake-app-secret",
      "482913",
    ]) {
      expect(raw).not.toContain(secret);
    }
    expect(lines[0]!.reason).toBe("too_large");
  });

  it("redacts inside errors and child loggers' bindings, and survives cycles", () => {
    const { log, lines } = capture();
    const error = Object.assign(new Error("Bad Request"), {
      payload: { chat_id: 987654321, text: "isi palsu" },
    });
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    log.child({ user: { username: "fake_user_name" } }).error({ err: error, cyclic }, "call failed");
    const raw = JSON.stringify(lines[0]);
    for (const secret of ["987654321", "isi palsu", "fake_user_name"]) expect(raw).not.toContain(secret);
    expect(raw).toContain("Bad Request");
    expect((lines[0]!.cyclic as Record<string, unknown>).self).toBe("[circular]");
    log
      .child({ conversation: "ab12" })
      .child({ deep: { phone: "+62 800-1111-2222" } })
      .info("grandchild");
    expect(JSON.stringify(lines[1])).not.toContain("+62 800");
    expect(lines[1]).toMatchObject({ conversation: "ab12", deep: { phone: REDACTED } });
  });
});
