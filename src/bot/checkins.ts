import { randomBytes, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { HOME_ZONE, showDate } from "../flows/checkin-time.ts";
import { familyCodeIn, safePhraseKey } from "../flows/checkin-words.ts";
import { t } from "../flows/content/catalog.ts";
import type {
  CheckinDetails,
  CheckinSignal,
  FamilyView,
  FlowEvent,
  FlowOutput,
  Lang,
} from "../flows/message.ts";
import type { Report } from "../flows/report.ts";
import {
  type CheckinRow,
  checkinsOfFamily,
  countCheckin,
  deleteCheckin,
  familyCodeTaken,
  findCheckin,
  findSafePhraseHash,
  insertCheckin,
  linkFamily,
  listFamily,
  markAlerted,
  recordCheckinOk,
  recordCheckinSent,
  removeFamily,
  unlinkFamily,
} from "../storage/checkins.ts";
import { findConversationReach } from "../storage/conversation-contact.ts";
import { pseudonym, type Sealer, sealedAt } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";
import type { Keys } from "../storage/keys.ts";
import { enqueueOutbox, type NewOutboxMessage } from "../storage/outbox.ts";
import type { CaseEffects, EffectContext, EffectHandlers } from "./engine-types.ts";
import { generateReportCode } from "./officers/report-code.ts";
import { sealOutbox } from "./outbox-payload.ts";

/*
 * The storage side of safe-departure check-ins (the flow is src/flows/checkin-states.ts): storing the
 * sealed details, the safe phrase's keyed hash and a family code; linking family; and, for help, danger,
 * the safe phrase and misses, the family alert and, with consent, a case through the case service, so
 * escalation runs as for reports. All in the conversation's transaction: each alert goes out once.
 */

export interface CheckinDeps {
  sealer: Sealer;
  keys: Keys;
  cases: CaseEffects;
  log: Logger;
}

/** Keyed hash of a normalised safe phrase or a family code (never stored in plain text). */
function keyed(keys: Keys, kind: "safe-phrase" | "family-code", value: string): string {
  return pseudonym(keys.pseudonymKey, kind, value);
}

/** Marks a typed message that is the person's safe phrase (run by the engine for every user message). */
export function safePhraseAnnotator(keys: Keys) {
  return async (tx: Tx, conversationKey: string, event: FlowEvent): Promise<FlowEvent> => {
    if (event.type !== "user.message" || event.message.type !== "text") return event;
    const stored = await findSafePhraseHash(tx, conversationKey);
    if (!stored) return event;
    const said = safePhraseKey(event.message.text);
    return said && keyed(keys, "safe-phrase", said) === stored ? { ...event, safePhrase: true } : event;
  };
}

export function checkinEffectHandlers(deps: CheckinDeps): EffectHandlers {
  return {
    "checkin.start": (tx, ctx, o) => start(deps, tx, ctx, o),
    "checkin.record": (tx, ctx, o) => record(deps, tx, ctx, o),
    async "checkin.stop"(tx, ctx, o) {
      await deleteCheckin(tx, ctx.conversationKey);
      if (o.forget) await unlinkFamily(tx, ctx.conversationKey);
      return undefined;
    },
    "checkin.family": (tx, ctx, o) => family(deps, tx, ctx, o.code),
    async "checkin.people"(tx, ctx, o) {
      if (o.remove) await removeFamily(tx, ctx.conversationKey, o.remove);
      const people = await listFamily(tx, ctx.conversationKey);
      return {
        type: "checkin.people.listed",
        people: people.map((p) => ({ id: p.id, channel: p.channel, since: p.createdAt.toISOString() })),
      };
    },
  };
}

async function start(
  deps: CheckinDeps,
  tx: Tx,
  ctx: EffectContext,
  o: Extract<FlowOutput, { type: "checkin.start" }>,
): Promise<FlowEvent> {
  const now = ctx.now.toISOString();
  if (!o.details.departure || !o.details.country) return { type: "checkin.started", ok: false, now };
  let code: string;
  do code = generateReportCode((n) => randomBytes(n), "KLG");
  while (await familyCodeTaken(tx, keyed(deps.keys, "family-code", code)));
  const phrase = o.safePhrase ? safePhraseKey(o.safePhrase) : "";
  await insertCheckin(tx, {
    id: randomUUID(),
    conversationKey: ctx.conversationKey,
    channel: ctx.channel,
    detailsSealed: deps.sealer.sealJson(o.details, sealedAt.checkinDetails(ctx.conversationKey)),
    safePhraseHash: phrase ? keyed(deps.keys, "safe-phrase", phrase) : null,
    familyCodeHash: keyed(deps.keys, "family-code", code),
    consentCase: o.consent,
    createdAt: ctx.now,
  });
  deps.log.info({ conversation: ctx.conversationKey }, "check-ins started");
  return { type: "checkin.started", ok: true, code, now };
}

async function record(
  deps: CheckinDeps,
  tx: Tx,
  ctx: EffectContext,
  o: Extract<FlowOutput, { type: "checkin.record" }>,
): Promise<FlowEvent | undefined> {
  const key = ctx.conversationKey;
  if (o.signal === "sent") await recordCheckinSent(tx, key, ctx.now, o.last === true);
  if (o.signal === "ok") await recordCheckinOk(tx, key, ctx.now);
  if (o.signal === "sent" || o.signal === "ok") return undefined;
  const row = await findCheckin(tx, key);
  // Each alert once: a second "Bahaya" for the same check-in, or a redelivered timer, adds nothing.
  if (!row || !(await markAlerted(tx, key, `${o.signal}:${o.index}`))) return undefined;
  const details = deps.sealer.openJson<CheckinDetails>(
    row.detailsSealed,
    sealedAt.checkinDetails(row.conversationKey),
  );
  const told = await tellFamily(deps, tx, row, details, o.signal, o.index, o.missed ?? 0);
  const urgent = o.signal !== "missed" || (o.missed ?? 0) === 2;
  const opened = row.consentCase && urgent;
  if (opened) await openCase(deps, tx, ctx, row, details, o.signal, o.missed ?? 0);
  await countCheckin(tx, key, {
    missed: o.signal === "missed" ? 1 : 0,
    alerts: told,
    cases: opened ? 1 : 0,
  });
  deps.log.info({ conversation: key, signal: o.signal, family: told, case: opened }, "check-in alert");
  return undefined;
}

function since(lang: Lang, row: CheckinRow, details: CheckinDetails): string {
  return row.lastOkAt
    ? showDate(row.lastOkAt.toISOString(), HOME_ZONE)
    : `${t(lang, "checkin.family.never")} (${details.departure})`;
}

/** Writes the family alert to each linked person's conversation; returns how many were told. */
async function tellFamily(
  deps: CheckinDeps,
  tx: Tx,
  row: CheckinRow,
  details: CheckinDetails,
  signal: Exclude<CheckinSignal, "sent" | "ok">,
  index: number,
  missed: number,
): Promise<number> {
  const kind = signal === "safe_phrase" ? "danger" : signal;
  const rows: NewOutboxMessage[] = [];
  for (const link of await listFamily(tx, row.conversationKey)) {
    const reach = await findConversationReach(tx, link.conversationKey);
    if (!reach?.addressSealed) continue;
    const lang: Lang = reach.lang === "en" ? "en" : "id";
    const text = t(lang, `checkin.family.${kind}`, {
      name: details.nickname,
      place: `${details.city}, ${details.country}`,
      since: since(lang, row, details),
      missed,
    });
    rows.push(
      sealOutbox(
        deps.sealer,
        {
          idempotencyKey: `checkin:${row.id}:${signal}:${index}:${link.id}`,
          channel: reach.channel,
          targetKey: reach.key,
          // Outside WhatsApp's window a family member gets the neutral follow-up template first.
          purpose: "checkin-family",
        },
        {
          address: deps.sealer.openJson(reach.addressSealed, sealedAt.conversationAddress(reach.key)),
          message: { type: "text", text },
        },
      ),
    );
  }
  await enqueueOutbox(tx, rows);
  return rows.length;
}

/** A case for officers, high (help, misses) or critical (danger, the safe phrase), with the departure details. */
async function openCase(
  deps: CheckinDeps,
  tx: Tx,
  ctx: EffectContext,
  row: CheckinRow,
  details: CheckinDetails,
  signal: Exclude<CheckinSignal, "sent" | "ok">,
  missed: number,
): Promise<void> {
  const vars = {
    name: details.nickname,
    departure: details.departure,
    city: details.city,
    country: details.country,
    missed,
    since: since("id", row, details),
  };
  const report: Report = {
    lang: "id",
    situation: "other",
    country: details.country,
    city: details.city,
    when: details.departure,
    departureWithin72h: false,
    minorsInvolved: "unsure",
    dangerNow: signal === "danger" || signal === "safe_phrase" ? "yes" : "unsure",
    confined: false,
    passportWithheld: false,
    forcedWorkOrDebt: false,
    unsure: [],
    narrative: `${t("id", `checkin.case.${signal}`, vars)}\n${t("id", "checkin.case.details", vars)}`,
    ...(details.agency || details.employer
      ? { recruiter: [details.agency, details.employer].filter(Boolean).join(" / ") }
      : {}),
    evidenceRefs: [],
    // Officers may write back through the bot, except after the safe phrase (the screen may be watched).
    consentContact: signal !== "safe_phrase",
    checkin: signal,
  };
  await deps.cases.submitReport(tx, ctx, report);
}

async function family(deps: CheckinDeps, tx: Tx, ctx: EffectContext, typed?: string): Promise<FlowEvent> {
  let ok = true;
  if (typed !== undefined) {
    const code = familyCodeIn(typed);
    ok =
      code !== undefined &&
      (await linkFamily(tx, keyed(deps.keys, "family-code", code), {
        id: randomUUID(),
        conversationKey: ctx.conversationKey,
        channel: ctx.channel,
        createdAt: ctx.now,
      }));
  }
  const people: FamilyView[] = (await checkinsOfFamily(tx, ctx.conversationKey)).map((row) => {
    const d = deps.sealer.openJson<CheckinDetails>(
      row.detailsSealed,
      sealedAt.checkinDetails(row.conversationKey),
    );
    return {
      nickname: d.nickname,
      destination: `${d.city}, ${d.country}`,
      lastOk: row.lastOkAt?.toISOString() ?? null,
      active: row.status === "active",
    };
  });
  return { type: "checkin.family.info", ok, people };
}
