import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";
import { type AnyStateMachine, assign, emit, setup } from "xstate";
import type { FlowEvent, FlowOutput } from "../src/flows/message.ts";

/**
 * One 40-question form, written twice: as a pure XState v5 machine (ours: restored from a snapshot per
 * message) and as a `@grammyjs/conversations` conversation (the baseline: replays every earlier step).
 * `/start` opens the form and asks question 1; answer n stores field n and asks question n + 1; answer 40
 * asks for a confirmation before submitting (the conversation does one more `wait()`), so at step 40 both
 * are mid-conversation: the conversations plugin replays 40 earlier waits and suspends again, as it
 * would on any later step. (Had the form ended at answer 40, the baseline would skip the suspension on
 * that last update and look cheaper than on step 39.) "Step n" below is the update carrying answer n.
 */
export const QUESTIONS = 40;

export function question(n: number): string {
  return `Pertanyaan ${n} dari ${QUESTIONS}: please answer question number ${n} of the safe-migration form.`;
}
export const CONFIRM = "Terima kasih. Send OK to submit the form.";
export const SUBMITTED = "The form was submitted.";

type FormContext = { lang: "id" | "en"; answers: Record<string, string> };

function answerText(event: FlowEvent): string {
  if (event.type !== "user.message") return "";
  const m = event.message;
  if (m.type === "text") return m.text;
  if (m.type === "choice") return m.id;
  return m.type;
}

/** The XState form: 40 distinct question states, like a hand-written form flow. */
export function formMachine(): AnyStateMachine {
  const s = setup({
    types: {
      context: {} as FormContext,
      events: {} as FlowEvent,
      emitted: {} as FlowOutput,
      input: {} as { lang?: "id" | "en" },
    },
  });
  const states: Record<string, object> = {
    idle: {
      on: {
        "user.message": {
          target: "q1",
          actions: emit({ type: "reply", message: { type: "text", text: question(1) } }),
        },
      },
    },
    confirm: {
      on: {
        "user.message": {
          target: "done",
          actions: emit({ type: "reply", message: { type: "text", text: SUBMITTED } }),
        },
      },
    },
    done: {
      on: {
        "user.message": { actions: emit({ type: "reply", message: { type: "text", text: SUBMITTED } }) },
      },
    },
  };
  for (let n = 1; n <= QUESTIONS; n++) {
    const field = `field${n}`;
    const next = n < QUESTIONS ? question(n + 1) : CONFIRM;
    states[`q${n}`] = {
      on: {
        "user.message": {
          target: n < QUESTIONS ? `q${n + 1}` : "confirm",
          actions: [
            assign({
              answers: ({ context, event }) => ({
                ...context.answers,
                [field]: answerText(event as FlowEvent),
              }),
            }),
            emit({ type: "reply", message: { type: "text", text: next } }),
          ],
        },
      },
    };
  }
  const machine = s.createMachine({
    id: "bench-form",
    context: ({ input }) => ({ lang: input?.lang ?? "id", answers: {} }),
    initial: "idle",
    states: states as never,
  });
  return machine as unknown as AnyStateMachine;
}

/** The same form as a replaying conversation: `wait()` for each of the 40 answers (replying each time), then for the confirmation. */
export async function formConversation(conversation: Conversation<Context, Context>, ctx: Context) {
  await ctx.reply(question(1));
  const answers: Record<string, string> = {};
  for (let n = 1; n <= QUESTIONS; n++) {
    const next = await conversation.wait();
    answers[`field${n}`] = next.message?.text ?? "";
    await next.reply(n < QUESTIONS ? question(n + 1) : CONFIRM);
  }
  const confirmation = await conversation.wait();
  await confirmation.reply(SUBMITTED);
}

/** A static identity so grammY never calls `getMe`. */
export const BENCH_BOT_INFO: UserFromGetMe = {
  id: 900000002,
  is_bot: true,
  first_name: "Bench",
  username: "SuaraAmanBenchBot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_guest_queries: false,
  supports_join_request_queries: false,
};

/** A private-chat text update as Telegram posts it (`/start` carries its bot_command entity). */
export function textUpdate(updateId: number, chatId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: "Bench" },
      from: { id: chatId, is_bot: false, first_name: "Bench" },
      text,
      ...(text.startsWith("/")
        ? { entities: [{ type: "bot_command", offset: 0, length: text.length }] }
        : {}),
    },
  } as Update;
}

/** Text of the update for step `n` (0 is `/start`). */
export function stepText(n: number, chatId: number): string {
  return n === 0 ? "/start" : `jawaban ${n} dari chat ${chatId}`;
}

/**
 * A `fetch` for grammY that answers every Bot API call locally (`sendMessage` echoes a message) without
 * any network, so the flow-cost baseline measures the framework, not a socket.
 */
export const localFetch: typeof fetch = async (_input, init) => {
  const payload = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, unknown>) : {};
  const result = {
    message_id: 1,
    date: Math.floor(Date.now() / 1000),
    chat: { id: payload.chat_id, type: "private" },
    from: BENCH_BOT_INFO,
    text: payload.text,
  };
  return new Response(JSON.stringify({ ok: true, result }), {
    status: 200,
    headers: { "content-type": "application/json" },
  });
};
