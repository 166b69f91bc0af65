import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";

/**
 * A local fake of the Telegram Bot API for end-to-end tests. It serves `POST /bot<token>/<method>` (JSON,
 * urlencoded or multipart bodies) and `GET /file/bot<token>/<path>`, records every call, answers like
 * Telegram (including its 400s for empty or too long texts, oversized `callback_data`, too long callback
 * answers, and deleting or editing a deleted message), holds `getUpdates` long polls, and fails chosen
 * calls with 429 or 500 on request.
 *
 * Point a bot at it with `new Bot(token, { botInfo: FAKE_BOT_INFO, client: { apiRoot: fake.apiRoot } })`.
 */
export async function startFakeTelegram(opts: { token?: string } = {}): Promise<FakeTelegram> {
  const state = new FakeState(opts.token);
  const server = createServer((req, res) => {
    state
      .handle(req, res)
      .catch((error: unknown) => reply(res, 500, { ok: false, error_code: 500, description: String(error) }));
  });
  // Like the Bot API, keep idle connections open longer than clients do: with node's default of 5 s,
  // a client reusing a socket the moment the server closes it sees "socket hang up".
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const apiRoot = `http://127.0.0.1:${port}`;
  return {
    apiRoot,
    get calls() {
      return state.calls;
    },
    callsTo: (method) => state.calls.filter((c) => c.method === method && c.status === 200),
    failNext: (method, failure, times = 1) => {
      for (let i = 0; i < times; i++) state.failures.push({ method, failure });
    },
    pushUpdate: (update) => state.pushUpdate(update),
    addFile: (fileId, bytes, path) => state.addFile(fileId, bytes, path),
    on: (method, handler) => {
      state.handlers.set(method, handler);
    },
    get webhook() {
      return state.webhook;
    },
    waitFor: (predicate, timeoutMs = 5000) => state.waitFor(predicate, timeoutMs),
    close: async () => {
      state.closeWaiters();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeTelegram = {
  /** Pass as `client.apiRoot` (and as `TELEGRAM_API_ROOT`). */
  apiRoot: string;
  /** Every call, in arrival order, including failed ones. */
  readonly calls: readonly RecordedCall[];
  /** Successful calls of one method, i.e. what Telegram accepted. */
  callsTo(method: string): RecordedCall[];
  /** The next `times` calls of `method` fail as described (429 carries `retry_after`). */
  failNext(method: string, failure: Failure, times?: number): void;
  /** Queues an update for `getUpdates`; assigns `update_id` when it is missing. Returns the update. */
  pushUpdate(update: Record<string, unknown>): Record<string, unknown> & { update_id: number };
  /** Makes `getFile(fileId)` answer with `path` and serves `bytes` at `/file/bot<token>/<path>`. */
  addFile(fileId: string, bytes: Uint8Array, path?: string): void;
  /** Overrides the answer of a method: return a `result`, or an `{ error_code, description }` to fail. */
  on(method: string, handler: MethodHandler): void;
  /** The URL of the last `setWebhook`, or `undefined` after `deleteWebhook`. */
  readonly webhook: { url: string; secret_token?: string; allowed_updates?: unknown } | undefined;
  /**
   * Resolves with the first accepted call matching `predicate`, already recorded or still to come. A long poll
   * counts from its arrival, so `waitFor((c) => c.method === "getUpdates")` means "the bot is polling".
   */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  close(): Promise<void>;
};

export type RecordedCall = {
  method: string;
  payload: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
  /** HTTP status of the answer. */
  status: number;
  token: string;
};

export type Failure = { status: 429; retryAfter: number } | { status: 500 };

export type MethodHandler = (
  payload: Record<string, unknown>,
) => unknown | { error_code: number; description: string; parameters?: Record<string, unknown> };

/** A static `botInfo` for `new Bot(...)`, so grammY does not call `getMe`. */
export const FAKE_BOT_INFO: UserFromGetMe = {
  id: 900000001,
  is_bot: true,
  first_name: "Suara Aman Test",
  username: "SuaraAmanTestBot",
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

type Json = Record<string, unknown>;
type Poll = { offset: number; limit: number; resolve: (updates: Json[]) => void; timer: NodeJS.Timeout };
type Waiter = { predicate: (call: RecordedCall) => boolean; resolve: (call: RecordedCall) => void };

class FakeState {
  readonly calls: RecordedCall[] = [];
  readonly failures: { method: string; failure: Failure }[] = [];
  readonly handlers = new Map<string, MethodHandler>();
  webhook: FakeTelegram["webhook"];
  private readonly updates: (Json & { update_id: number })[] = [];
  private readonly polls = new Set<Poll>();
  private readonly waiters = new Set<Waiter>();
  private readonly files = new Map<string, { bytes: Uint8Array; path: string }>();
  private nextUpdateId = 100000001;
  private nextMessageId = 1;
  /** `<chat>:<message>` of deleted messages: deleting or editing one again fails like on Telegram. */
  private readonly deleted = new Set<string>();

  constructor(private readonly token?: string) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === "GET" && file) return this.download(res, file[1]!, decodeURIComponent(file[2]!));
    const api = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!api || (req.method !== "POST" && req.method !== "GET")) {
      return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    }
    const [, token = "", method = ""] = api;
    const payload = { ...Object.fromEntries(url.searchParams), ...(await readBody(req)) };
    const call: RecordedCall = { method, payload, at: Date.now(), status: 200, token };
    this.calls.push(call);
    if (this.token !== undefined && token !== this.token) {
      return this.fail(res, call, 401, { description: "Unauthorized" });
    }
    const failure = this.failures.findIndex((f) => f.method === method);
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!.failure;
      if (f.status === 429) {
        return this.fail(res, call, 429, {
          description: `Too Many Requests: retry after ${f.retryAfter}`,
          parameters: { retry_after: f.retryAfter },
        });
      }
      return this.fail(res, call, 500, { description: "Internal Server Error" });
    }
    if (method === "getUpdates") return this.getUpdates(res, call);
    const answer = this.answer(method, payload);
    if ("error" in answer) return this.fail(res, call, answer.error.error_code, answer.error);
    reply(res, 200, { ok: true, result: answer.result });
    this.notify(call);
  }

  pushUpdate(update: Json): Json & { update_id: number } {
    const id = typeof update.update_id === "number" ? update.update_id : this.nextUpdateId;
    this.nextUpdateId = Math.max(this.nextUpdateId, id + 1);
    const stored = { ...update, update_id: id };
    this.updates.push(stored);
    for (const poll of this.polls) this.servePoll(poll);
    return stored;
  }

  addFile(fileId: string, bytes: Uint8Array, path = `documents/file_${this.files.size + 1}`): void {
    this.files.set(fileId, { bytes, path });
  }

  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs: number): Promise<RecordedCall> {
    const found = this.calls.find((c) => c.status === 200 && predicate(c));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.map((c) => `${c.method}:${c.status}`).join(", ") || "none";
        reject(new Error(`fake Telegram: no matching call within ${timeoutMs} ms (calls: ${seen})`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  closeWaiters(): void {
    for (const poll of this.polls) {
      clearTimeout(poll.timer);
      poll.resolve([]);
    }
    this.polls.clear();
  }

  private getUpdates(res: ServerResponse, call: RecordedCall): void {
    if (this.webhook) {
      const description =
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
      this.fail(res, call, 409, { description });
      return;
    }
    const offset = Number(call.payload.offset ?? 0);
    const limit = Math.min(100, Math.max(1, Number(call.payload.limit ?? 100)));
    const timeout = Math.max(0, Number(call.payload.timeout ?? 0));
    if (offset > 0) this.confirm(offset);
    let done = false;
    const poll: Poll = {
      offset,
      limit,
      timer: setTimeout(() => poll.resolve([]), timeout * 1000),
      resolve: (updates) => {
        if (done) return;
        done = true;
        clearTimeout(poll.timer);
        this.polls.delete(poll);
        if (!res.destroyed) reply(res, 200, { ok: true, result: updates });
      },
    };
    res.on("close", () => {
      if (done) return;
      done = true;
      clearTimeout(poll.timer);
      this.polls.delete(poll);
    });
    this.polls.add(poll);
    this.notify(call);
    this.servePoll(poll);
  }

  private servePoll(poll: Poll): void {
    const ready = this.updates.filter((u) => u.update_id >= poll.offset).slice(0, poll.limit);
    if (ready.length > 0) poll.resolve(ready);
  }

  /** Telegram forgets updates below the offset once a `getUpdates` confirms them. */
  private confirm(offset: number): void {
    const keep = this.updates.filter((u) => u.update_id >= offset);
    this.updates.splice(0, this.updates.length, ...keep);
  }

  private answer(method: string, p: Json): { result: unknown } | { error: ApiError } {
    const custom = this.handlers.get(method);
    if (custom) {
      const out = custom(p);
      return isApiError(out) ? { error: out } : { result: out };
    }
    switch (method) {
      case "getMe":
        return { result: FAKE_BOT_INFO };
      case "setWebhook":
        if (typeof p.url !== "string") return badRequest("bad webhook: URL must be provided");
        this.webhook =
          p.url === "" ? undefined : { url: p.url, ...pick(p, "secret_token", "allowed_updates") };
        return { result: true };
      case "deleteWebhook":
        this.webhook = undefined;
        if (p.drop_pending_updates === true) this.updates.length = 0;
        return { result: true };
      case "getWebhookInfo":
        return {
          result: { url: this.webhook?.url ?? "", has_custom_certificate: false, pending_update_count: 0 },
        };
      case "sendMessage":
        return this.sendMessage(p);
      case "sendPhoto":
      case "sendDocument":
        return this.sendFile(method === "sendPhoto" ? "photo" : "document", p);
      case "editMessageReplyMarkup":
      case "editMessageText":
        if (p.inline_message_id !== undefined) return { result: true };
        if (p.message_id === undefined) return badRequest("message identifier is not specified");
        if (this.deleted.has(messageKey(p.chat_id, p.message_id)))
          return badRequest("message to edit not found");
        return {
          result: this.message(p, { message_id: Number(p.message_id), text: p.text, edit_date: now() }),
        };
      case "getFile":
        return this.getFile(p);
      case "answerCallbackQuery":
        if (typeof p.text === "string" && p.text.length > 200) return badRequest("MESSAGE_TOO_LONG");
        return { result: true };
      case "deleteMessage":
        if (this.deleted.has(messageKey(p.chat_id, p.message_id)))
          return badRequest("message to delete not found");
        this.deleted.add(messageKey(p.chat_id, p.message_id));
        return { result: true };
      case "deleteMessages":
        for (const id of Array.isArray(p.message_ids) ? p.message_ids : [])
          this.deleted.add(messageKey(p.chat_id, id));
        return { result: true };
      case "sendChatAction":
      case "setMyCommands":
      case "deleteMyCommands":
      case "setChatMenuButton":
      case "setMyDescription":
      case "setMyShortDescription":
      case "setMessageReaction":
      case "leaveChat":
      case "logOut":
      case "close":
        return { result: true };
      default:
        return { error: { error_code: 404, description: "Not Found: method not found" } };
    }
  }

  private sendMessage(p: Json): { result: unknown } | { error: ApiError } {
    if (p.chat_id === undefined) return badRequest("chat not found");
    if (typeof p.text !== "string" || p.text.trim() === "") return badRequest("message text is empty");
    if (p.text.length > 4096) return badRequest("message is too long");
    const markup = p.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const button of markup?.inline_keyboard?.flat() ?? []) {
      const data = button.callback_data;
      if (data !== undefined && (data === "" || Buffer.byteLength(data, "utf8") > 64)) {
        return badRequest("BUTTON_DATA_INVALID");
      }
    }
    return { result: this.message(p, { message_id: this.nextMessageId++, text: p.text }) };
  }

  /**
   * `sendPhoto` / `sendDocument` with a file id (string) or an upload: a multipart part, recorded in the
   * call's payload as `{ file, size, type }` (see {@link readBody}). Uploads get a new file id.
   */
  private sendFile(kind: "photo" | "document", p: Json): { result: unknown } | { error: ApiError } {
    if (p.chat_id === undefined) return badRequest("chat not found");
    const input = p[kind];
    const upload = isUpload(input) ? input : undefined;
    if (!upload && (typeof input !== "string" || input === "")) {
      return badRequest(`there is no ${kind} in the request`);
    }
    if (upload && upload.size === 0) return badRequest("file must be non-empty");
    if (typeof p.caption === "string" && p.caption.length > 1024)
      return badRequest("message caption is too long");
    const fileId = upload ? `fake-${kind}-${this.nextMessageId}` : (input as string);
    const file = {
      file_id: fileId,
      file_unique_id: `u-${fileId}`.slice(0, 32),
      ...(upload ? { file_size: upload.size } : {}),
    };
    const content =
      kind === "photo"
        ? { photo: [{ ...file, width: 1280, height: 960 }] }
        : {
            document: {
              ...file,
              ...(upload?.file ? { file_name: upload.file } : {}),
              ...(upload?.type ? { mime_type: upload.type } : {}),
            },
          };
    return { result: this.message(p, { message_id: this.nextMessageId++, caption: p.caption, ...content }) };
  }

  private getFile(p: Json): { result: unknown } | { error: ApiError } {
    const fileId = String(p.file_id ?? "");
    const file = this.files.get(fileId);
    if (!file) return badRequest("invalid file_id");
    return {
      result: {
        file_id: fileId,
        file_unique_id: `u-${fileId}`.slice(0, 32),
        file_size: file.bytes.length,
        file_path: file.path,
      },
    };
  }

  private download(res: ServerResponse, token: string, path: string): void {
    const file = [...this.files.values()].find((f) => f.path === path);
    if (!file || (this.token !== undefined && token !== this.token)) {
      reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.bytes.length });
    res.end(Buffer.from(file.bytes));
  }

  private message(p: Json, fields: Json): Json {
    const chatId = typeof p.chat_id === "string" && /^-?\d+$/.test(p.chat_id) ? Number(p.chat_id) : p.chat_id;
    const chat =
      typeof chatId === "number" && chatId > 0
        ? { id: chatId, type: "private" }
        : { id: chatId, type: "supergroup", title: "Test Group" };
    const markup = p.reply_markup as { inline_keyboard?: unknown[] } | undefined;
    const message: Json = { date: now(), chat, from: FAKE_BOT_INFO, ...fields };
    if (markup?.inline_keyboard && markup.inline_keyboard.length > 0) message.reply_markup = markup;
    for (const key of Object.keys(message)) if (message[key] === undefined) delete message[key];
    return message;
  }

  private fail(
    res: ServerResponse,
    call: RecordedCall,
    status: number,
    error: Omit<ApiError, "error_code">,
  ): void {
    call.status = status;
    reply(res, status, { ok: false, error_code: status, ...error });
  }

  private notify(call: RecordedCall): void {
    for (const waiter of this.waiters) {
      if (waiter.predicate(call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }
}

type ApiError = { error_code: number; description: string; parameters?: Record<string, unknown> };

function isApiError(value: unknown): value is ApiError {
  return typeof value === "object" && value !== null && "error_code" in value && "description" in value;
}

function badRequest(description: string): { error: ApiError } {
  return { error: { error_code: 400, description: `Bad Request: ${description}` } };
}

function messageKey(chatId: unknown, messageId: unknown): string {
  return `${String(chatId)}:${String(messageId)}`;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function pick(p: Json, ...keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => p[k] !== undefined).map((k) => [k, p[k]]));
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** An uploaded multipart file part as recorded in a call's payload. */
export type Upload = { file: string; size: number; type: string };

function isUpload(value: unknown): value is Upload {
  return typeof value === "object" && value !== null && "file" in value && "size" in value;
}

/**
 * JSON, urlencoded or multipart; object and array fields sent as JSON text (grammY's multipart) are parsed.
 * A file part becomes `{ file, size, type }`; a field `attach://<name>` (how grammY names an uploaded
 * `InputFile`) is replaced by the part it points at, which is then dropped from the payload.
 */
async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Json) : {};
  }
  if (type.includes("multipart/form-data") || type.includes("application/x-www-form-urlencoded")) {
    const out: Json = {};
    for (const part of type.includes("multipart/form-data")
      ? parseMultipart(raw, type)
      : [...new URLSearchParams(raw.toString("utf8"))].map(([name, value]) => ({ name, value }))) {
      out[part.name] =
        "value" in part
          ? maybeJson(part.value)
          : ({ file: part.filename, size: part.bytes.byteLength, type: part.type } satisfies Upload);
    }
    for (const [key, value] of Object.entries(out)) {
      const name = typeof value === "string" ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined;
      if (name && isUpload(out[name])) {
        out[key] = out[name];
        delete out[name];
      }
    }
    return out;
  }
  return {};
}

type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

/**
 * A minimal multipart/form-data parser. Undici's `formData()` refuses grammY's parts (it writes
 * `content-disposition:form-data;name="x";filename=y` without spaces or quotes around the file name),
 * which Telegram accepts, so the fake parses them itself: header names case-insensitive, parameter
 * values quoted or not.
 */
function parseMultipart(raw: Buffer, contentType: string): Part[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = Buffer.from(`--${(boundary?.[1] ?? boundary?.[2] ?? "").trim()}`);
  const parts: Part[] = [];
  let at = raw.indexOf(marker);
  while (at >= 0) {
    const start = at + marker.length;
    if (raw.subarray(start, start + 2).toString() === "--") break;
    const next = raw.indexOf(marker, start);
    if (next < 0) break;
    // Each part: CRLF, headers, CRLF CRLF, body, CRLF before the next marker.
    const part = raw.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, split).toString("utf8");
    const bytes = part.subarray(split + 4);
    const headers = new Map(
      head.split("\r\n").map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
      }),
    );
    const disposition = headers.get("content-disposition") ?? "";
    const param = (key: string) =>
      new RegExp(`;\\s*${key}=(?:"([^"]*)"|([^;]*))`, "i")
        .exec(disposition)
        ?.slice(1)
        .find((v) => v !== undefined);
    const name = param("name") ?? "";
    const filename = param("filename");
    parts.push(
      filename === undefined
        ? { name, value: bytes.toString("utf8") }
        : {
            name,
            filename: filename.trim(),
            type: headers.get("content-type") ?? "",
            bytes: Buffer.from(bytes),
          },
    );
    at = next;
  }
  return parts;
}

function maybeJson(value: string): unknown {
  if (!/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
