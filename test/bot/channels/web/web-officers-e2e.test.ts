import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webChannel } from "../../../../src/bot/channels/web/web-channel.ts";
import { loadContacts } from "../../../../src/bot/officers/contacts.ts";
import { officersPlugin } from "../../../../src/bot/officers/officers-plugin.ts";
import { databaseKinds } from "../../../helpers/databases.ts";
import { REPORT_CODE } from "../../../helpers/report-walk.ts";
import { startTelegramService, type TelegramService } from "../../../helpers/telegram-service.ts";
import { CONTACTS_FIXTURE, OFF1_CHAT } from "../../officers/officers-harness.ts";

type Item = { seq: number; message: { type: string; text?: string } };

/** A reporter in the web chat, driven through the JSON API. */
class WebReporter {
  private session = "";
  private cursor = 0;
  private n = 0;
  readonly texts: string[] = [];
  constructor(private readonly url: string) {}

  async start(): Promise<void> {
    const res = await fetch(`${this.url}/api/session`, { method: "POST" });
    this.session = ((await res.json()) as { session: string }).session;
  }
  async send(fields: Record<string, string>): Promise<void> {
    const res = await fetch(`${this.url}/api/send`, {
      method: "POST",
      headers: { "X-Session": this.session, "content-type": "application/json" },
      body: JSON.stringify({ id: `web-msg-${++this.n}`, ...fields }),
    });
    if (res.status !== 200) throw new Error(`send answered ${res.status}`);
    await this.collect();
  }
  choose = (choice: string) => this.send({ choice });
  text = (text: string) => this.send({ text });
  /** Waits until a collected message matches `pattern`; returns its text. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.texts.find((t) => pattern.test(t));
      if (hit) return hit;
      if (Date.now() > until) throw new Error(`no web message matching ${pattern}`);
      await new Promise((r) => setTimeout(r, 100));
      await this.collect();
    }
  }
  private async collect(): Promise<void> {
    const res = await fetch(`${this.url}/api/messages?after=${this.cursor}`, {
      headers: { "X-Session": this.session },
    });
    for (const item of ((await res.json()) as { messages: Item[] }).messages) {
      if (item.message.text) this.texts.push(item.message.text);
      this.cursor = item.seq;
    }
  }
}

describe.each(databaseKinds())("a web report reaches officers and works across channels (%s)", (kind) => {
  let tg: TelegramService;
  beforeAll(async () => {
    tg = await startTelegramService(
      kind,
      { CONTACTS_FILE: CONTACTS_FIXTURE },
      {
        plugins: (config) => [officersPlugin({ contacts: loadContacts(config.CONTACTS_FILE) })],
        channels: [webChannel()],
      },
    );
  });
  afterAll(async () => {
    await tg?.close();
  });

  it("alerts the officer on Telegram, relays the question and the answer, and the code works on Telegram", async () => {
    const web = new WebReporter(tg.url);
    await web.start();
    await web.send({ command: "start" });
    for (const step of [
      "language:id",
      "menu:report",
      "report.situation:scam_compound",
      "Kamboja",
      "Phnom Penh",
      "report.location:skip",
      "report.when:now",
      "report.people:two_five",
      "report.minors:no",
      "report.danger:yes",
      "report.confined:yes",
      "report.passport:yes",
      "report.forced:no",
      "report.departure:no",
      "Adik saya tidak boleh keluar dari kantor.",
      "report.narrative:done",
      "PT Contoh Jaya",
      "report.evidence:skip",
      "report.consent:yes",
      "report.review:confirm",
    ]) {
      await (step.includes(":") ? web.choose(step) : web.text(step));
    }
    const stored = await web.waitFor(/PIN: \S+/);
    const code = REPORT_CODE.exec(stored)![0];
    const pin = /PIN: (\S+)/.exec(stored)![1]!;

    // The officer gets the web report as any other: a summary on Telegram.
    await tg.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === OFF1_CHAT &&
        String(c.payload.text).includes(code),
      10_000,
    );
    const officer = tg.user(OFF1_CHAT);
    await officer.text(`/klaim ${code}`);
    await officer.text(`/tanya ${code} Di kota mana kantor agennya?`);
    await web.waitFor(/Di kota mana kantor agennya\?/);

    await web.send({ command: "status" });
    await web.text(code);
    await web.text(pin);
    await web.choose("status.open:q0");
    await web.text("Di Denpasar, Jalan Contoh.");
    await tg.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === OFF1_CHAT &&
        String(c.payload.text).includes("Di Denpasar, Jalan Contoh.") &&
        String(c.payload.text).includes(code),
      10_000,
    );

    // The same code and PIN on Telegram.
    const other = tg.user(730000123);
    await other.text("/status");
    await other.text(code);
    const answer = await other.text(pin);
    expect(answer.join("\n")).toContain(code);
    expect(answer.join("\n")).toMatch(/Diterima|diproses/);
  }, 90_000);
});
