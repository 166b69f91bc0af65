import { t } from "./content/catalog.ts";
import { blankDraft, chosen, type Effect, reply } from "./effects.ts";
import { freeText, inbound } from "./inbound.ts";
import { clip, MAX_BODY } from "./limits.ts";
import type { MainContext, ReportDraft } from "./main-context.ts";
import type { FlowEvent } from "./message.ts";
import { toMigrationAnswers } from "./migration-check.ts";
import { MAX_EVIDENCE, text } from "./prompts.ts";
import {
  type MigrationAnswers,
  NARRATIVE_MAX,
  type Report,
  reportSchema,
  type Situation,
  type YesNoUnsure,
} from "./report.ts";
import { triageText } from "./review.ts";
import { triage } from "./triage.ts";
import { matchChoice } from "./understand/choice-match.ts";
import { recruiterIn } from "./understand/named.ts";
import { countIn } from "./understand/numbers.ts";
import {
  countryOfPlace,
  has,
  isCountry,
  placeName,
  understand,
  whereIsPlace,
} from "./understand/understand.ts";

/** Pure effects of the report flow; wired as actions in `main-setup.ts`. */

type YnuField = "minorsInvolved" | "dangerNow";
type BoolField =
  | "confined"
  | "passportWithheld"
  | "forcedWorkOrDebt"
  | "departureWithin72h"
  | "consentContact";
type TextField = "country" | "city" | "when" | "recruiter";

const TEXT_MAX: Record<TextField, number> = { country: 200, city: 200, when: 500, recruiter: 2000 };
const PEOPLE: Record<string, number | undefined> = { one: 1, two_five: 2, more: 6, unknown: undefined };

function draft(ctx: MainContext): ReportDraft {
  return ctx.report ?? blankDraft();
}

function patchDraft(
  ctx: MainContext,
  change: Partial<ReportDraft>,
  drop: (keyof ReportDraft)[] = [],
): Effect {
  const next: ReportDraft = { ...draft(ctx), ...change };
  for (const key of drop) delete next[key];
  return { patch: { report: next } };
}

export function startReport(): Effect {
  return { patch: { report: blankDraft(), editing: false } };
}

/** A report pre-filled from the safe-migration check: situation, destination, agency, departure. */
export function startReportFromCheck(ctx: MainContext): Effect {
  const m = toMigrationAnswers(ctx.check?.answers ?? {});
  const migration: MigrationAnswers = { flags: m.flags };
  if (m.destination) migration.destination = clip(m.destination, 200);
  if (m.agency) migration.agency = clip(m.agency, 500);
  if (m.departureSoon !== undefined) migration.departureSoon = m.departureSoon;
  const next: ReportDraft = { ...blankDraft(), situation: "recruitment_fraud", migration };
  // What the person typed about the offer is the report's story so far.
  if (ctx.check?.story) next.narrative = ctx.check.story;
  if (migration.destination) next.country = migration.destination;
  if (migration.agency) next.recruiter = migration.agency;
  if (migration.departureSoon !== undefined) next.departureWithin72h = migration.departureSoon;
  return {
    patch: { report: next, editing: false, check: null },
    outputs: [reply(text(t(ctx.lang, "report.prefilled")))],
  };
}

export function recordSituation(ctx: MainContext, event: FlowEvent): Effect {
  return patchDraft(ctx, { situation: chosen(ctx, event) as Situation });
}

export function recordYnu(ctx: MainContext, event: FlowEvent, p: { field: YnuField }): Effect {
  return patchDraft(ctx, { [p.field]: chosen(ctx, event) as YesNoUnsure });
}

export function recordBool(ctx: MainContext, event: FlowEvent, p: { field: BoolField }): Effect {
  const answer = chosen(ctx, event);
  const patch: Partial<ReportDraft> = { [p.field]: answer === "yes" };
  // "Not sure" is kept as such for the three questions officers read, not turned into "no".
  if (p.field === "confined" || p.field === "passportWithheld" || p.field === "forcedWorkOrDebt") {
    const others = (draft(ctx).unsure ?? []).filter((f) => f !== p.field);
    patch.unsure = answer === "unsure" ? [...others, p.field] : others;
  }
  return patchDraft(ctx, patch);
}

export function recordText(ctx: MainContext, event: FlowEvent, p: { field: TextField }): Effect {
  const typed = freeText(event) ?? "";
  const value = clip(
    p.field === "country" || p.field === "city" ? placeName(typed) : typed,
    TEXT_MAX[p.field],
  );
  // A new country makes the town given before it meaningless; it is asked next.
  const effect = patchDraft(ctx, { [p.field]: value }, p.field === "country" ? ["city"] : []);
  if (p.field === "country") {
    const where = whereIsPlace(value);
    if (where !== "unknown") effect.patch = { ...effect.patch, where };
    // A place in Indonesia typed as the country ("di batam") is the city, in Indonesia.
    const place = understand(value).place ?? value.replace(/^\s*di\s+/i, "");
    if (where === "indonesia" && !/^(indonesia|indo)$/i.test(place.trim())) {
      const inIndonesia = {
        country: t(ctx.lang, "report.country.indonesia"),
        city: clip(place, TEXT_MAX.city),
      };
      return { patch: { ...patchDraft(ctx, inIndonesia).patch, where } };
    }
    // A city abroad typed as the country ("di dubai") is the city, in its country.
    const country = where === "abroad" && !isCountry(place) ? countryOfPlace(place, ctx.lang) : undefined;
    if (country) {
      const abroad = { country, city: clip(place, TEXT_MAX.city) };
      return { patch: { ...patchDraft(ctx, abroad).patch, where: "abroad" } };
    }
  }
  return effect;
}

export function clearField(
  ctx: MainContext,
  _event: FlowEvent,
  p: { field: TextField | "location" },
): Effect {
  return patchDraft(ctx, {}, [p.field]);
}

export function recordCountryChoice(ctx: MainContext, event: FlowEvent): Effect {
  if (chosen(ctx, event) !== "indonesia") return patchDraft(ctx, {}, ["country"]);
  const effect = patchDraft(ctx, { country: t(ctx.lang, "report.country.indonesia") });
  return { patch: { ...effect.patch, where: "indonesia" } };
}

export function recordWhenChoice(ctx: MainContext, event: FlowEvent): Effect {
  return patchDraft(ctx, { when: t(ctx.lang, `report.when.options.${chosen(ctx, event)}`) });
}

export function recordPeople(ctx: MainContext, event: FlowEvent): Effect {
  const typed = peopleNumber(event);
  const count = typed ?? PEOPLE[chosen(ctx, event) ?? "unknown"];
  return count === undefined ? patchDraft(ctx, {}, ["peopleCount"]) : patchDraft(ctx, { peopleCount: count });
}

/** A typed number of people (0–10000: "5", "mungkin 5an", "tiga orang"), or undefined. */
export function peopleNumber(event: FlowEvent): number | undefined {
  const text = freeText(event);
  const n = text === undefined ? undefined : countIn(text);
  return n !== undefined && n <= 10000 ? n : undefined;
}

/**
 * Text typed where a location was asked: a place name the lexicon knows fills an empty city; anything
 * else moves on without a location (a story is already kept by the front door).
 */
export function recordTypedPlace(ctx: MainContext, event: FlowEvent): Effect {
  const typed = freeText(event) ?? "";
  if (typed.split(/\s+/).length >= 4 || draft(ctx).city || whereIsPlace(typed) === "unknown") return {};
  return patchDraft(ctx, { city: clip(typed, TEXT_MAX.city) });
}

export function recordLocation(ctx: MainContext, event: FlowEvent): Effect {
  const m = inbound(event);
  if (m?.type !== "location") return {};
  return patchDraft(ctx, { location: { latitude: m.latitude, longitude: m.longitude } });
}

export function appendNarrative(ctx: MainContext, event: FlowEvent): Effect {
  const d = draft(ctx);
  const added = freeText(event) ?? "";
  const joined = d.narrative ? `${d.narrative}\n\n${added}` : added;
  return patchDraft(ctx, { narrative: joined.slice(0, NARRATIVE_MAX) });
}

/**
 * A short "that's all" typed where the story can go on ("gk ada lg", "udah itu aja", "skip", "lanjut",
 * "no more"): the end of the story, not a line of it sent to the officers.
 */
export function endsStory(event: FlowEvent): boolean {
  const typed = freeText(event)?.trim().toLowerCase().replace(/'s\b/g, " is");
  if (!typed || typed.split(/\s+/).length > 4) return false;
  const options = ["done", "skip"].map((value) => ({ value, label: value }));
  if (matchChoice(typed, options) !== undefined) return true;
  // "gk ada lg", "no more", "nothing else": a no and nothing else ("ga dibayar" is a line of the story).
  const words = typed.split(/[^\p{L}]+/u).filter(Boolean);
  return (
    words.some((w) => NOTHING_MORE.no.has(w)) &&
    words.every((w) => NOTHING_MORE.no.has(w) || NOTHING_MORE.filler.has(w))
  );
}

const NOTHING_MORE = {
  no: new Set("no nope nothing none gak ga gk g nggak ngga enggak engga ndak tidak tdk tak".split(" ")),
  filler: new Set(
    "ada lagi lg kak ka itu aja saja sih dulu kok ya yah udah sudah cukup more else thanks".split(" "),
  ),
};

/** A short typed yes ("ya", "iya ada", "yes"). */
export function typedYes(event: FlowEvent): boolean {
  const typed = freeText(event)?.trim();
  if (!typed || typed.split(/\s+/).length > 3) return false;
  return matchChoice(typed, [{ value: "yes", label: "yes" }]) === "yes";
}

/** The recruiter the story names ("dibawa PT Maju Jaya"), so it is not asked again; shown in the review. */
export function recruiterFromStory(ctx: MainContext): Effect {
  const d = draft(ctx);
  if (d.recruiter !== undefined || !d.narrative) return {};
  const named = recruiterIn(d.narrative);
  return named ? patchDraft(ctx, { recruiter: clip(named, TEXT_MAX.recruiter) }) : {};
}

export function resetNarrative(ctx: MainContext): Effect {
  return patchDraft(ctx, { narrative: "" });
}

export function addEvidence(ctx: MainContext, event: FlowEvent): Effect {
  const m = inbound(event);
  const d = draft(ctx);
  if (m?.type !== "media" || d.evidenceRefs.length >= MAX_EVIDENCE || d.evidenceRefs.includes(m.ref))
    return {};
  return patchDraft(ctx, { evidenceRefs: [...d.evidenceRefs, m.ref] });
}

/** The emergency numbers for where the report says it happens (Indonesia, abroad, or both when unknown). */
export function dangerGuidance(ctx: MainContext, event: FlowEvent): Effect {
  // Typed danger already brought the numbers in this reply (the front door); once is enough.
  const m = inbound(event);
  if (
    event.type === "user.message" &&
    event.front &&
    m?.type === "text" &&
    has(understand(m.text), "danger_now")
  ) {
    return {};
  }
  // Each set once per report: every further "yes" repeating the same block would only bury the question
  // (the set for where it happens is still shown once the country is known).
  const where = reportWhere(ctx);
  if (draft(ctx).numbersShown === where) return {};
  return {
    ...patchDraft(ctx, { numbersShown: where }),
    outputs: [reply(text(t(ctx.lang, `typed.danger.${where}`)))],
  };
}

/** Where the report says it happens (its country), else where the person said they are. */
function reportWhere(ctx: MainContext): "indonesia" | "abroad" | "unknown" {
  const country = ctx.report?.country;
  const fromCountry = country ? whereIsPlace(country) : "unknown";
  return fromCountry !== "unknown" ? fromCountry : (ctx.where ?? "unknown");
}

/** The draft as a valid {@link Report}. */
export function buildReport(ctx: MainContext): Report {
  const d = draft(ctx);
  return reportSchema.parse({ ...d, lang: ctx.lang, situation: d.situation ?? "other" });
}

export function submitReport(ctx: MainContext): Effect {
  return { outputs: [{ type: "report.submitted", report: buildReport(ctx) }] };
}

/** Code and PIN shown once (the PIN never enters the context), triage in plain words, next steps. */
export function showStored(ctx: MainContext, event: FlowEvent): Effect {
  if (event.type !== "report.stored") return {};
  const report = buildReport(ctx);
  const lang = ctx.lang;
  const stored = t(lang, "report.stored", { code: clip(event.code, 40), pin: clip(event.pin, 40) });
  const next = t(lang, report.consentContact ? "report.next_steps.contact" : "report.next_steps.no_contact");
  const result = triage(report);
  return {
    outputs: [
      reply({ type: "text", text: clip(stored, MAX_BODY), erase: { label: t(lang, "common.erase_button") } }),
      reply(text(triageText(lang, result, event.passedOn === true))),
      // A very urgent case: the numbers that work where it happens (110 does not work abroad).
      ...(result.urgency === "critical" ? [reply(text(t(lang, `typed.danger.${reportWhere(ctx)}`)))] : []),
      reply(text(next)),
      reply(text(t(lang, "report.safety"))),
    ],
  };
}
