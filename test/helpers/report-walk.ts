import { randomBytes } from "node:crypto";
import { FAKE_BOT_INFO, type FakeTelegram, type RecordedCall } from "./fake-telegram.ts";

/** A button as the fake Bot API received it. */
export type WalkButton = { text: string; callback_data: string };

/** The inline keyboard of a recorded `sendMessage`, flattened. */
export function buttonsOf(call: RecordedCall): WalkButton[] {
  const markup = call.payload.reply_markup as { inline_keyboard?: WalkButton[][] } | undefined;
  return markup?.inline_keyboard?.flat() ?? [];
}

/** Where a webhook update goes: the service's `/telegram/webhook` URL and its secret. */
export type WebhookTarget = { url: string; secret: string };

let nextUpdateId = 600_000_000 + Math.floor(Math.random() * 1_000_000);

/** Posts one update to the webhook; throws unless the service answers 200 (i.e. it committed). */
export async function postUpdate(target: WebhookTarget, update: Record<string, unknown>): Promise<void> {
  const response = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": target.secret },
    body: JSON.stringify({ update_id: nextUpdateId++, ...update }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

/**
 * One private Telegram chat driving a service that runs elsewhere (e.g. a child process) over its
 * webhook, observed only through the fake Bot API. It works in lockstep: each action after the
 * first waits until the bot has answered the previous one, and a tap waits until a message sent
 * since the previous action offers that exact button, so the walk never races the service.
 */
export class WebhookChat {
  /** Index in `fake.calls` where the answers to the latest action start. */
  private mark = 0;
  private messageId = 1;
  private acted = false;
  private ackedAt = 0;
  /** Each action's webhook answer (`ackedAt`) and the bot's first message after it (`answeredAt`). */
  readonly answers: { ackedAt: number; answeredAt: number }[] = [];

  constructor(
    readonly chatId: number,
    private readonly fake: FakeTelegram,
    private readonly target: WebhookTarget,
    private readonly timeoutMs = 10_000,
    /**
     * When set, a failed post is repeated with the same `update_id` every `retryMs` until the
     * service answers 200, as Telegram redelivers an update (e.g. while the service restarts).
     */
    private readonly retryMs?: number,
  ) {}

  /** Messages the bot sent to this chat, oldest first. */
  sent(): RecordedCall[] {
    return this.fake.callsTo("sendMessage").filter((c) => c.payload.chat_id === this.chatId);
  }

  /** The first message to this chat since the latest action that satisfies `predicate`. */
  fresh(predicate: (call: RecordedCall) => boolean = () => true, timeoutMs = this.timeoutMs) {
    const from = this.mark;
    return this.fake.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === this.chatId &&
        this.fake.calls.indexOf(c) >= from &&
        predicate(c),
      timeoutMs,
    );
  }

  /** Sends a text message; returns `Date.now()` when the webhook answered. */
  async text(text: string): Promise<number> {
    return this.act(() => this.message({ text }));
  }

  /** Presses the button whose `callback_data` is `data`; returns `Date.now()` when the webhook answered. */
  async tap(data: string): Promise<number> {
    const call = await this.fresh((c) => buttonsOf(c).some((b) => b.callback_data === data)).catch(
      (error: Error) => {
        const last = this.sent().at(-1);
        const offered = last ? buttonsOf(last).map((b) => b.callback_data) : [];
        throw new Error(`no button ${data} (last offered: [${offered.join(", ")}]): ${error.message}`);
      },
    );
    return this.act(() => callbackQuery(this.chatId, call, data, 10_000 + this.messageId++));
  }

  private async act(update: () => Record<string, unknown>): Promise<number> {
    if (this.acted) {
      const answer = await this.fresh();
      this.answers.push({ ackedAt: this.ackedAt, answeredAt: answer.at });
    }
    this.acted = true;
    this.mark = this.fake.calls.length;
    const body = { update_id: nextUpdateId++, ...update() };
    for (;;) {
      try {
        await postUpdate(this.target, body);
        break;
      } catch (error) {
        if (this.retryMs === undefined) throw error;
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
    this.ackedAt = Date.now();
    return this.ackedAt;
  }

  private message(fields: Record<string, unknown>): Record<string, unknown> {
    return {
      message: {
        message_id: this.messageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: this.chatId, type: "private", first_name: "Test" },
        from: { id: this.chatId, is_bot: false, first_name: "Test" },
        ...fields,
      },
    };
  }
}

/**
 * A `callback_query` update for the button `data` of the recorded message `call`, pressed by the
 * user `fromId` in the private chat the message went to.
 */
export function callbackQuery(
  fromId: number,
  call: RecordedCall,
  data: string,
  messageId: number,
): Record<string, unknown> {
  if (!buttonsOf(call).some((b) => b.callback_data === data)) {
    throw new Error(`no button ${data} in [${buttonsOf(call).map((b) => b.callback_data)}]`);
  }
  const chatId = Number(call.payload.chat_id);
  return {
    callback_query: {
      id: randomBytes(8).toString("hex"),
      from: { id: fromId, is_bot: false, first_name: "Test" },
      chat_instance: `ci-${chatId}`,
      data,
      message: {
        message_id: messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: "private", first_name: "Test" },
        from: FAKE_BOT_INFO,
        text: String(call.payload.text),
        reply_markup: call.payload.reply_markup,
      },
    },
  };
}

/** The report code in a text, e.g. `REF-7K3M-9QX2`. */
export const REPORT_CODE = /REF-[A-Z0-9]{4}-[A-Z0-9]{4}/;

/**
 * Walks a whole critical report (danger now: yes, confined: yes, contact consent: yes) in
 * Indonesian, from the first "halo" to the review's confirm button. Returns the report code the
 * bot sent back, when the confirm was about to be sent (`confirmSentAt`, before the commit) and when
 * the webhook answered it (`confirmedAt`, after the commit of the report).
 */
export async function walkCriticalReport(
  chat: WebhookChat,
): Promise<{ code: string; confirmSentAt: number; confirmedAt: number; storedCall: RecordedCall }> {
  await chat.text("/start");
  await chat.tap("language:id");
  await chat.tap("menu:report");
  await chat.tap("report.situation:scam_compound");
  await chat.text("Kamboja");
  await chat.text("Phnom Penh");
  await chat.tap("report.location:skip");
  await chat.tap("report.when:now");
  await chat.tap("report.people:two_five");
  await chat.tap("report.minors:no");
  await chat.tap("report.danger:yes");
  await chat.tap("report.confined:yes");
  await chat.tap("report.passport:yes");
  await chat.tap("report.forced:no");
  await chat.tap("report.departure:no");
  await chat.text("Adik saya tidak boleh keluar dari kantor.");
  await chat.tap("report.narrative:done");
  await chat.text("PT Contoh Jaya");
  await chat.tap("report.evidence:skip");
  await chat.tap("report.consent:yes");
  const confirmSentAt = Date.now();
  const confirmedAt = await chat.tap("report.review:confirm");
  const storedCall = await chat.fresh(
    (c) => /PIN/.test(String(c.payload.text)) && REPORT_CODE.test(String(c.payload.text)),
  );
  const code = REPORT_CODE.exec(String(storedCall.payload.text))![0];
  return { code, confirmSentAt, confirmedAt, storedCall };
}
