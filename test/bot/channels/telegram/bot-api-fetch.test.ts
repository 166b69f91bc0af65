import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GrammyError, HttpError } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { botApiFetch } from "../../../../src/bot/channels/telegram/bot-api-fetch.ts";
import { TelegramClient, toSendError } from "../../../../src/bot/channels/telegram/telegram-client.ts";
import { FAKE_BOT_INFO, type FakeTelegram, startFakeTelegram } from "../../../helpers/fake-telegram.ts";

const token = "123456:TEST-fake-token";
const chatId = 100_000_418;

let fake: FakeTelegram;
let client: TelegramClient;

beforeEach(async () => {
  fake = await startFakeTelegram({ token });
  client = new TelegramClient({ token, apiRoot: fake.apiRoot, botInfo: FAKE_BOT_INFO });
});
afterEach(async () => {
  await fake.close();
});

/** A server on a free port that answers every request with `answer`; closed after the test. */
async function rawServer(
  answer: Parameters<typeof createServer>[1],
): Promise<{ root: string; server: Server }> {
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("the Bot API client under grammY", () => {
  it("sends calls in order on reused connections and reads their results", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push((await client.bot.api.sendMessage(chatId, `pesan ${i}`)).message_id);
    }
    expect(new Set(ids).size).toBe(20);
    expect(fake.callsTo("sendMessage").map((c) => c.payload.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `pesan ${i}`),
    );
  });

  it("uploads a file as multipart", async () => {
    const bytes = new TextEncoder().encode("fake evidence, not a real document");
    const id = await client.sendFile(chatId, {
      bytes,
      filename: "bukti.txt",
      mime: "text/plain",
      caption: "x",
    });
    expect(id).toBeGreaterThan(0);
    expect(fake.callsTo("sendDocument")[0]?.payload.document).toMatchObject({
      file: "bukti.txt",
      size: bytes.byteLength,
    });
  });

  it("gives the Bot API's refusal as a GrammyError that is not retried", async () => {
    fake.on("sendMessage", () => ({
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    }));
    const error = await client.bot.api.sendMessage(chatId, "halo").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(toSendError(error).disposition).toBe("fail");
  });

  it("gives an unreachable server as an HttpError that is retried later", async () => {
    const { root, server } = await rawServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const offline = new TelegramClient({ token, apiRoot: root, botInfo: FAKE_BOT_INFO });
    const error = await offline.bot.api.sendMessage(chatId, "halo").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(toSendError(error).disposition).toBe("retry");
  });

  it("gives a proxy's HTML error page or a dropped connection as an HttpError, and the next call still goes out", async () => {
    let requests = 0;
    const { root, server } = await rawServer((req, res) => {
      requests += 1;
      req.resume();
      if (requests === 1) {
        res.writeHead(502, { "content-type": "text/html" }).end("<html>Bad Gateway</html>");
      } else if (requests === 2) {
        res.socket?.destroy();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            ok: true,
            result: { message_id: 7, date: 0, chat: { id: chatId, type: "private" } },
          }),
        );
      }
    });
    try {
      const flaky = new TelegramClient({ token, apiRoot: root, botInfo: FAKE_BOT_INFO });
      for (const _ of [1, 2]) {
        const error = await flaky.bot.api.sendMessage(chatId, "halo").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(HttpError);
        expect(toSendError(error).disposition).toBe("retry");
      }
      expect((await flaky.bot.api.sendMessage(chatId, "halo")).message_id).toBe(7);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("ends a call that grammY's timeout aborts, and closes its connection", async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { root, server } = await rawServer((req) => {
      req.resume();
      req.socket.once("close", closed);
    });
    try {
      const controller = new AbortController();
      const call = botApiFetch()(`${root}/bot${token}/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: chatId, text: "halo" }),
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(), 50);
      await expect(call).rejects.toMatchObject({ name: "AbortError" });
      await connectionClosed;
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("takes the real Bot API's https address to node's TLS client", async () => {
    const { root, server } = await rawServer(() => {});
    await new Promise((resolve) => server.close(resolve));
    const error = await botApiFetch()(`${root.replace("http:", "https:")}/bot${token}/getMe`).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "ECONNREFUSED" });
  });
});
