import { z } from "zod";
import { hasLoneSurrogate } from "./well-formed.ts";

/** WhatsApp Cloud API limits (RECIPES.md), in UTF-16 code units. */
export const WA_LIMITS = {
  text: 4096,
  buttonBody: 1024,
  buttonTitle: 20,
  buttonId: 256,
  buttons: 3,
  header: 60,
  footer: 60,
  listBody: 4096,
  listButton: 20,
  listSections: 10,
  listRows: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  locationBody: 1024,
  templateParam: 1024,
  caption: 1024,
  filename: 240,
} as const;

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => s.trim().length > 0, "must not be blank");
const base = { messaging_product: z.literal("whatsapp"), recipient_type: z.literal("individual") };
const header = z.object({ type: z.literal("text"), text: text(WA_LIMITS.header) }).optional();
const footer = z.object({ text: text(WA_LIMITS.footer) }).optional();

const textSendSchema = z.object({
  ...base,
  type: z.literal("text"),
  text: z.object({ body: text(WA_LIMITS.text), preview_url: z.boolean().optional() }),
});

const buttonsSendSchema = z.object({
  ...base,
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("button"),
    header,
    body: z.object({ text: text(WA_LIMITS.buttonBody) }),
    footer,
    action: z.object({
      buttons: z
        .array(
          z.object({
            type: z.literal("reply"),
            reply: z.object({
              id: z.string().min(1).max(WA_LIMITS.buttonId),
              title: text(WA_LIMITS.buttonTitle),
            }),
          }),
        )
        .min(1)
        .max(WA_LIMITS.buttons)
        .refine((b) => unique(b.map((x) => x.reply.id)), "button ids must be unique")
        .refine((b) => unique(b.map((x) => x.reply.title)), "button titles must be unique"),
    }),
  }),
});

const listSendSchema = z.object({
  ...base,
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("list"),
    header,
    body: z.object({ text: text(WA_LIMITS.listBody) }),
    footer,
    action: z.object({
      button: text(WA_LIMITS.listButton),
      sections: z
        .array(
          z.object({
            title: text(WA_LIMITS.sectionTitle).optional(),
            rows: z
              .array(
                z.object({
                  id: z.string().min(1).max(WA_LIMITS.rowId),
                  title: text(WA_LIMITS.rowTitle),
                  description: z.string().max(WA_LIMITS.rowDescription).optional(),
                }),
              )
              .min(1),
          }),
        )
        .min(1)
        .max(WA_LIMITS.listSections)
        .refine((s) => s.flatMap((x) => x.rows).length <= WA_LIMITS.listRows, "at most 10 rows in total")
        .refine((s) => unique(s.flatMap((x) => x.rows.map((r) => r.id))), "row ids must be unique")
        .refine(
          (s) => s.length === 1 || s.every((x) => x.title),
          "sections need titles when there are several",
        ),
    }),
  }),
});

const locationRequestSendSchema = z.object({
  ...base,
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("location_request_message"),
    body: z.object({ text: text(WA_LIMITS.locationBody) }),
    action: z.object({ name: z.literal("send_location") }),
  }),
});

const templateSendSchema = z.object({
  ...base,
  type: z.literal("template"),
  template: z.object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/),
    language: z.object({ code: z.string().min(2).max(15) }),
    components: z
      .array(
        z.object({
          type: z.literal("body"),
          parameters: z.array(
            z.object({
              type: z.literal("text"),
              // Meta rejects parameters with newlines, tabs or more than four spaces in a row.
              text: text(WA_LIMITS.templateParam).refine(
                (s) => !/[\n\t]| {5,}/.test(s),
                "no newlines or tabs",
              ),
            }),
          ),
        }),
      )
      .optional(),
  }),
});

/** An uploaded photo, sent by its media id (from `POST /{phone_number_id}/media`). */
const imageSendSchema = z.object({
  ...base,
  type: z.literal("image"),
  image: z.object({ id: z.string().min(1), caption: text(WA_LIMITS.caption).optional() }),
});

/** An uploaded document, sent by its media id; `filename` is what the recipient sees. */
const documentSendSchema = z.object({
  ...base,
  type: z.literal("document"),
  document: z.object({
    id: z.string().min(1),
    caption: text(WA_LIMITS.caption).optional(),
    filename: z.string().min(1).max(WA_LIMITS.filename).optional(),
  }),
});

/**
 * The body of a `POST /{phone_number_id}/messages` send, without `to` (the client adds it).
 * Plain data in Graph wire format (snake_case), safe to store in the outbox as JSON.
 */
export const whatsAppSendSchema = z.union([
  textSendSchema,
  buttonsSendSchema,
  listSendSchema,
  locationRequestSendSchema,
  templateSendSchema,
  imageSendSchema,
  documentSendSchema,
]);
export type WhatsAppSend = z.infer<typeof whatsAppSendSchema>;
export type WhatsAppTextSend = z.infer<typeof textSendSchema>;
export type WhatsAppButtonsSend = z.infer<typeof buttonsSendSchema>;
export type WhatsAppListSend = z.infer<typeof listSendSchema>;
export type WhatsAppLocationRequestSend = z.infer<typeof locationRequestSendSchema>;
export type WhatsAppTemplateSend = z.infer<typeof templateSendSchema>;
export type WhatsAppImageSend = z.infer<typeof imageSendSchema>;
export type WhatsAppDocumentSend = z.infer<typeof documentSendSchema>;

/**
 * Every way `send` breaks a WhatsApp limit, as readable lines (`interactive.body.text: Too big…`).
 * An empty array means the send is within every limit. Used by the renderer's tests and property tests.
 */
export function checkWhatsAppLimits(send: unknown): string[] {
  const schema = schemaFor(send);
  const result = schema.safeParse(send);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  for (const s of strings(send))
    if (hasLoneSurrogate(s)) problems.push(`lone surrogate in "${s.slice(0, 20)}"`);
  return problems;
}

/** Picks the one schema matching the send's kind, so problems name the real fields, not every union member. */
function schemaFor(send: unknown): z.ZodType {
  const kind = sendKindSchema.safeParse(send);
  if (!kind.success) return whatsAppSendSchema;
  const { type, interactive } = kind.data;
  if (type === "text") return textSendSchema;
  if (type === "template") return templateSendSchema;
  if (type === "image") return imageSendSchema;
  if (type === "document") return documentSendSchema;
  if (interactive?.type === "button") return buttonsSendSchema;
  if (interactive?.type === "list") return listSendSchema;
  if (interactive?.type === "location_request_message") return locationRequestSendSchema;
  return whatsAppSendSchema;
}

const sendKindSchema = z.object({
  type: z.string(),
  interactive: z.object({ type: z.string() }).optional(),
});

function unique(values: string[]): boolean {
  return new Set(values).size === values.length;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}
