import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WhatsAppSend } from "../../../../src/bot/channels/whatsapp/send-schema.ts";
import { toWhatsApp } from "../../../../src/bot/channels/whatsapp/to-whatsapp.ts";
import { WhatsAppApiError } from "../../../../src/bot/channels/whatsapp/whatsapp-api-error.ts";
import {
  createWhatsAppClient,
  type WhatsAppClient,
} from "../../../../src/bot/channels/whatsapp/whatsapp-client.ts";
import { type FakeGraph, startFakeGraph } from "../../../helpers/fake-graph.ts";

const PHONE_ID = "100000000000001";
const USER = "620000000001";
const VERSION = "v23.0";

describe("createWhatsAppClient", () => {
  let graph: FakeGraph;
  let client: WhatsAppClient;
  const hello: WhatsAppSend = toWhatsApp({ type: "text", text: "Halo" }).sends[0]!;

  beforeAll(async () => {
    graph = await startFakeGraph({ token: "test-token" });
  });
  afterAll(() => graph.close());
  beforeEach(() => {
    graph.calls.length = 0;
    client = createWhatsAppClient({
      accessToken: "test-token",
      phoneNumberId: PHONE_ID,
      baseUrl: graph.baseUrl,
      graphVersion: VERSION,
    });
  });

  it("posts a rendered send to the recipient with the bearer token and returns the wamid", async () => {
    const { messageId } = await client.send(USER, hello);
    expect(messageId).toMatch(/^wamid\.fake-\d+$/);
    const call = await graph.waitFor((c) => c.method === "POST");
    expect(call.path).toBe(`/${VERSION}/${PHONE_ID}/messages`);
    expect(call.headers.authorization).toBe("Bearer test-token");
    expect(call.body).toEqual({ ...hello, to: USER });
  });

  it("posts interactive sends unchanged (snake_case stays snake_case)", async () => {
    const [list] = toWhatsApp({
      type: "text",
      text: "Pilih",
      choices: Array.from({ length: 5 }, (_, i) => ({
        id: `opt_${i}`,
        label: `Pilihan ${i}`,
        description: "d",
      })),
    }).sends;
    await client.send(USER, list!);
    expect(graph.sentMessages().at(-1)).toEqual({ ...list, to: USER });
  });

  it("marks a message as read", async () => {
    await client.markRead("wamid.TEST0001");
    const call = await graph.waitFor((c) => c.method === "POST");
    expect(call.body).toEqual({
      messaging_product: "whatsapp",
      status: "read",
      message_id: "wamid.TEST0001",
    });
  });

  it("sends a template with body parameters", async () => {
    const { messageId } = await client.sendTemplate(USER, "suara_aman_followup", "id", ["TPPO-7K3M-9QX2"]);
    expect(messageId).toMatch(/^wamid\./);
    expect(graph.sentMessages().at(-1)).toMatchObject({
      to: USER,
      type: "template",
      template: {
        name: "suara_aman_followup",
        language: { code: "id" },
        components: [{ type: "body", parameters: [{ type: "text", text: "TPPO-7K3M-9QX2" }] }],
      },
    });
  });

  it("downloads media in two steps, both with the Authorization header", async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    graph.addMedia("300000000000001", bytes, "image/jpeg");
    const media = await client.downloadMedia("300000000000001");
    expect(media.mime).toBe("image/jpeg");
    expect([...media.bytes]).toEqual([...bytes]);
    const gets = graph.calls.filter((c) => c.method === "GET");
    expect(gets.map((c) => c.path)).toEqual([
      `/${VERSION}/300000000000001`,
      "/media-download/300000000000001",
    ]);
    for (const c of gets) expect(c.headers.authorization).toBe("Bearer test-token");
  });

  it("refuses media bigger than the configured limit", async () => {
    graph.addMedia("300000000000009", new Uint8Array(2048), "application/pdf");
    const small = createWhatsAppClient({
      accessToken: "test-token",
      phoneNumberId: PHONE_ID,
      baseUrl: graph.baseUrl,
      graphVersion: VERSION,
      maxMediaBytes: 1024,
    });
    await expect(small.downloadMedia("300000000000009")).rejects.toMatchObject({
      status: 413,
      retryable: false,
    });
  });

  it("maps an unknown media id to a WhatsAppApiError", async () => {
    await expect(client.downloadMedia("300000000000404")).rejects.toBeInstanceOf(WhatsAppApiError);
  });

  it("maps the closed 24-hour window (131047) to a non-retryable error", async () => {
    graph.failNext(1, { status: 400, code: 131047, message: "Re-engagement message" });
    const error = await client.send(USER, hello).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhatsAppApiError);
    expect(error).toMatchObject({ name: "WhatsAppApiError", status: 400, code: 131047, retryable: false });
    expect((error as WhatsAppApiError).windowClosed).toBe(true);
    expect((error as WhatsAppApiError).cause).toBeInstanceOf(Error);
    // The next send goes through again.
    await expect(client.send(USER, hello)).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  it("maps a server error to a retryable error", async () => {
    graph.failNext(1, { status: 500, code: 1, message: "An unknown error occurred" });
    await expect(client.send(USER, hello)).rejects.toMatchObject({ status: 500, retryable: true });
  });

  it("maps the throughput limit (130429) to a retryable error with the suggested wait", async () => {
    graph.failNext(1, { status: 429, code: 130429, retryAfterSeconds: 2 });
    await expect(client.send(USER, hello)).rejects.toMatchObject({
      code: 130429,
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it("maps an undeliverable message (131026) to a non-retryable error", async () => {
    graph.failNext(1, { status: 400, code: 131026 });
    await expect(client.send(USER, hello)).rejects.toMatchObject({ code: 131026, retryable: false });
  });

  it("maps a wrong token to a non-retryable error", async () => {
    const wrong = createWhatsAppClient({
      accessToken: "nope",
      phoneNumberId: PHONE_ID,
      baseUrl: graph.baseUrl,
    });
    await expect(wrong.send(USER, hello)).rejects.toMatchObject({ status: 401, code: 190, retryable: false });
    await expect(wrong.downloadMedia("300000000000001")).rejects.toMatchObject({ status: 401 });
  });

  it("maps a network failure to a retryable error with status 0", async () => {
    const offline = createWhatsAppClient({
      accessToken: "test-token",
      phoneNumberId: PHONE_ID,
      baseUrl: "http://127.0.0.1:1",
    });
    await expect(offline.send(USER, hello)).rejects.toMatchObject({ status: 0, retryable: true });
  });
});
