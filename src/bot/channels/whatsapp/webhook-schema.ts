import { z } from "zod";

/**
 * zod schemas for the WhatsApp Cloud API webhook `POST` body.
 *
 * Parsing strips every key we do not read, so a parsed payload never carries the sender's profile name.
 * Message `type` is a free string: unknown and future types still parse and can get a polite reply.
 * Only the fields a supported type needs are modelled; `to-inbound.ts` decides what to do with each type.
 */
export const webhookPayloadSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z.lazy(() => webhookValueSchema),
        }),
      ),
    }),
  ),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

const mediaSchema = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
});

/** One inbound message; type-specific objects are present only for their `type`. */
export const webhookMessageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().regex(/^\d{1,15}$/),
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z
        .object({ id: z.string(), title: z.string().optional(), description: z.string().optional() })
        .optional(),
    })
    .optional(),
  /** Quick-reply button of a template message (e.g. the follow-up template). */
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  image: mediaSchema.optional(),
  document: mediaSchema.extend({ filename: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
});
export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

/** Delivery status of a message we sent. `status` stays a string so a new status never breaks parsing. */
export const webhookStatusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  recipient_id: z.string(),
  timestamp: z.string().optional(),
  errors: z.array(z.object({ code: z.number().int(), title: z.string().optional() })).optional(),
});
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

/** The statuses the engine acts on; others (e.g. `deleted`) are ignored by `toInbound`. */
export const deliveryStatusSchema = z.enum(["sent", "delivered", "read", "failed"]);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const webhookValueSchema = z.object({
  messaging_product: z.string().optional(),
  metadata: z.object({ phone_number_id: z.string(), display_phone_number: z.string().optional() }).optional(),
  /** Present on message webhooks; only `wa_id` is kept (the profile name is never read). */
  contacts: z.array(z.object({ wa_id: z.string().optional() })).optional(),
  messages: z.array(webhookMessageSchema).optional(),
  statuses: z.array(webhookStatusSchema).optional(),
});
export type WebhookValue = z.infer<typeof webhookValueSchema>;
