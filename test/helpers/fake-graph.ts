import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake Graph API received. `body` is parsed JSON when it was JSON. */
export interface FakeGraphCall {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A Graph error the fake answers with, e.g. `{ status: 400, code: 131047 }`. */
export interface FakeGraphFailure {
  status: number;
  code: number;
  message?: string;
  retryAfterSeconds?: number;
}

/** One accepted `POST /<v>/<phone>/media` upload (multipart). */
export interface FakeGraphUpload {
  id: string;
  messagingProduct: string | undefined;
  /** The form's `type` field (the MIME type Graph is told). */
  type: string | undefined;
  fileName: string;
  /** The file part's own content type. */
  fileType: string;
  size: number;
}

export interface FakeGraph {
  /** e.g. `http://127.0.0.1:41234`; use as `baseUrl` / `WHATSAPP_API_BASE_URL`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly calls: FakeGraphCall[];
  /** Bodies of accepted `POST /<v>/<phone>/messages` sends (read receipts excluded). */
  sentMessages(): Record<string, unknown>[];
  addMedia(id: string, bytes: Uint8Array, mime: string): void;
  /** Accepted media uploads, in order; an uploaded file is also served like {@link addMedia}. */
  uploads(): FakeGraphUpload[];
  /** The next `count` message posts fail with this Graph error. */
  failNext(count: number, failure: FakeGraphFailure): void;
  /** Resolves with the first recorded call (past or future) matching `pred`; rejects after `ms`. */
  waitFor(pred: (call: FakeGraphCall) => boolean, ms?: number): Promise<FakeGraphCall>;
  close(): Promise<void>;
}

/**
 * A local fake of the parts of the WhatsApp Graph API the bot uses, on 127.0.0.1 and a free port:
 * message sends, read receipts, media upload, media metadata and media download. Every route requires
 * `Authorization: Bearer <token>` and answers 401 with a Graph error otherwise.
 */
export async function startFakeGraph(options: { token?: string } = {}): Promise<FakeGraph> {
  const token = options.token ?? "test-token";
  const calls: FakeGraphCall[] = [];
  const accepted: Record<string, unknown>[] = [];
  const uploaded: FakeGraphUpload[] = [];
  const media = new Map<string, { bytes: Uint8Array; mime: string }>();
  const failures: FakeGraphFailure[] = [];
  const waiters = new Set<(call: FakeGraphCall) => void>();
  let nextId = 0;
  let baseUrl = "";

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const contentType = String(req.headers["content-type"] ?? "");
    const multipart = contentType.includes("multipart/form-data");
    const call: FakeGraphCall = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: multipart ? "<multipart>" : parseJson(raw.toString("utf8")),
    };
    calls.push(call);
    for (const waiter of waiters) waiter(call);
    if (req.headers.authorization !== `Bearer ${token}`) {
      return json(res, 401, graphError(190, "Invalid OAuth access token - Cannot parse access token", 401));
    }

    const download = /^\/media-download\/([^/]+)$/.exec(path);
    if (req.method === "GET" && download?.[1]) {
      const item = media.get(decodeURIComponent(download[1]));
      if (!item) return json(res, 404, graphError(100, "Media not found", 404));
      res.writeHead(200, { "content-type": item.mime, "content-length": item.bytes.byteLength });
      return res.end(item.bytes);
    }
    const upload = /^\/v[\d.]+\/([^/]+)\/media$/.exec(path);
    if (req.method === "POST" && upload) {
      if (!multipart)
        return json(res, 400, graphError(100, "(#100) Upload must be multipart/form-data", 400));
      const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
      const file = form.get("file");
      const type = form.get("type");
      if (form.get("messaging_product") !== "whatsapp" || typeof type !== "string" || !file) {
        return json(res, 400, graphError(100, "(#100) The parameter messaging_product is required.", 400));
      }
      if (typeof file === "string") return json(res, 400, graphError(100, "(#100) file must be a file", 400));
      nextId += 1;
      const id = `media-fake-${nextId}`;
      const bytes = new Uint8Array(await file.arrayBuffer());
      media.set(id, { bytes, mime: type });
      uploaded.push({
        id,
        messagingProduct: "whatsapp",
        type,
        fileName: file.name,
        fileType: file.type,
        size: bytes.byteLength,
      });
      return json(res, 200, { id });
    }
    const send = /^\/v[\d.]+\/([^/]+)\/messages$/.exec(path);
    if (req.method === "POST" && send) {
      const failure = failures.shift();
      if (failure) {
        const headers: Record<string, string> = failure.retryAfterSeconds
          ? { "retry-after": String(failure.retryAfterSeconds) }
          : {};
        return json(res, failure.status, graphError(failure.code, failure.message, failure.status), headers);
      }
      const body = isRecord(call.body) ? call.body : {};
      if (body.status === "read") return json(res, 200, { success: true });
      if (typeof body.to !== "string" || typeof body.type !== "string") {
        return json(res, 400, graphError(100, "(#100) Invalid parameter", 400));
      }
      accepted.push(body);
      nextId += 1;
      return json(res, 200, {
        messaging_product: "whatsapp",
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.fake-${nextId}` }],
      });
    }
    const meta = /^\/v[\d.]+\/([^/]+)$/.exec(path);
    if (req.method === "GET" && meta?.[1]) {
      const id = decodeURIComponent(meta[1]);
      const item = media.get(id);
      if (!item) return json(res, 404, graphError(100, "Unsupported get request", 404));
      return json(res, 200, {
        messaging_product: "whatsapp",
        url: `${baseUrl}/media-download/${encodeURIComponent(id)}`,
        mime_type: item.mime,
        sha256: "0".repeat(64),
        file_size: item.bytes.byteLength,
        id,
      });
    }
    return json(res, 404, graphError(100, "Unknown path", 404));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    token,
    calls,
    sentMessages: () => [...accepted],
    addMedia(id, bytes, mime) {
      media.set(id, { bytes, mime });
    },
    uploads: () => [...uploaded],
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    waitFor(pred, ms = 2000) {
      const found = calls.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (call: FakeGraphCall) => {
          if (!pred(call)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(call);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`fake Graph: no matching call within ${ms} ms (${calls.length} calls)`));
        }, ms);
        waiters.add(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

function graphError(code: number, message = "Graph error", status = 400) {
  return {
    error: {
      message,
      type: status === 401 ? "OAuthException" : "GraphMethodException",
      code,
      fbtrace_id: "FAKE",
    },
  };
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
