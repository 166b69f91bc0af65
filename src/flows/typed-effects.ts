import { t } from "./content/catalog.ts";
import { blankDraft, type Effect, reply } from "./effects.ts";
import { inbound, wantsLanguage, wantsMenu } from "./inbound.ts";
import { clip } from "./limits.ts";
import type { MainContext, ReportDraft } from "./main-context.ts";
import type { FlowEvent, Lang, OutboundMessage } from "./message.ts";
import { text } from "./prompts.ts";
import { addToStory } from "./report.ts";
import { countIn } from "./understand/numbers.ts";
import { asksToReport } from "./understand/report-words.ts";
import {
  countryOfPlace,
  has,
  isCountry,
  placeName,
  type Understanding,
  understand,
} from "./understand/understand.ts";

/**
 * Pure effects for typed text: danger help in the very next reply and routing a typed message by what
 * it asks. Questions laid over the current step are in `pending-effects.ts`; drafts kept aside
 * (`paused`) and check answers read from typed text are in `draft-effects.ts`.
 */

/** The typed text of a message, or undefined (buttons, media, commands, global keywords). */
export function typedText(event: FlowEvent): string | undefined {
  const m = inbound(event);
  if (m?.type !== "text" || wantsMenu(event) || wantsLanguage(event)) return undefined;
  const trimmed = m.text.trim();
  return trimmed ? trimmed : undefined;
}

/** What the typed text of `event` says ({@link understand} remembers the last text it read). */
export function read(event: FlowEvent): Understanding | undefined {
  const typed = typedText(event);
  return typed === undefined ? undefined : understand(typed);
}

/** Steps whose typed text is stored as it is (the story, a place, a time, the recruiter, answers to officers). */
const FREE_TEXT_STEPS = new Set([
  "report.narrative",
  "report.country",
  "report.city",
  "report.when",
  "report.recruiter",
  "status.code",
  "status.pin",
  "status.answer",
  "status.add",
]);

/** The person is in the middle of a report, a check or an open case. */
export function inFlow(ctx: MainContext): boolean {
  if (
    ["report.submitting", "report.failed", "status.lookup", "status.appending", "status.failed"].includes(
      ctx.step,
    )
  )
    return false;
  return /^(report|check\.q|status)\./.test(ctx.step);
}

/** Whether the front door has work: danger in the words, or a story typed at a report question. */
export function needsFrontDoor(ctx: MainContext, event: FlowEvent): boolean {
  if (event.type !== "user.message" || event.front) return false;
  const u = read(event);
  if (!u) return false;
  if (has(u, "danger_now")) return true;
  // "di malaysia" typed on its own (people tell a story in pieces): where the person is, for the numbers.
  // (Not in the offer check, where a country typed is the offer's destination.)
  if (u.where !== "unknown" && u.where !== ctx.where && !ctx.step.startsWith("check.")) return true;
  // The first sentence that tells the language sets it, when a greeting did not.
  if (!ctx.langChosen && tellsLanguage(typedText(event) ?? "", u)) return true;
  if (switchesLanguage(ctx, typedText(event) ?? "", u)) return true;
  return storyAtReportQuestion(ctx, event);
}

/** A story of four or more words typed at a report question (it joins the report's story). */
export function storyAtReportQuestion(ctx: MainContext, event: FlowEvent): boolean {
  const typed = typedText(event);
  if (!typed || !ctx.report || !ctx.step.startsWith("report.")) return false;
  // "hp mau diambil" typed where a place is asked is part of the story, not the name of a place.
  // A sentence or more is a story too ("teman sy ditawari kerja di kapal pesiar lewat facebook…"); an address
  // names a place ("desa X, kecamatan Kuta Selatan, kabupaten Badung").
  if (PLACE_STEPS.has(ctx.step)) {
    const u = read(event);
    if ((u?.signals.length ?? 0) > 0) return true;
    const words = typed.split(/\s+/).length;
    return !ADDRESS.test(typed) && (words >= 10 || (words >= 6 && !u?.place));
  }
  // "kemarin dia telpon nangis2 katanya dipukuli" at "when?" tells the time and more of the story.
  if (ctx.step === "report.when") {
    return (read(event)?.signals.length ?? 0) > 0 || typed.split(/\s+/).length >= 8;
  }
  if (FREE_TEXT_STEPS.has(ctx.step)) return false;
  // "ga tau brp org, mungkin 5an" answers how many people; it is not more of the story.
  const told = read(event)?.signals.length ?? 0;
  if (ctx.step === "report.people" && told === 0 && countIn(typed) !== undefined) return false;
  return typed.split(/\s+/).length >= 4;
}

/** Words of an Indonesian address: a long answer with them is a place, not a story. */
const ADDRESS =
  /\b(desa|kelurahan|kel|kecamatan|kec|kabupaten|kab|kota|jl|jln|jalan|banjar|dusun|provinsi|prov|gang|gg)\b/i;

/** Steps that ask for a place: a typed danger or story there joins the story and the place is asked again. */
export const PLACE_STEPS = new Set(["report.country", "report.city"]);

/** The emergency numbers for where the person is (Indonesia, abroad, or both when unknown). */
export function dangerGuidance(lang: Lang, where: MainContext["where"]): OutboundMessage {
  return text(t(lang, `typed.danger.${where ?? "unknown"}`));
}

/**
 * Looks at a typed message before the step does: danger words bring the emergency numbers for where the
 * person is, at once; in a report, a story typed at a question joins the report's story so nobody types
 * it twice. The message is then raised again for the step.
 */
export function frontDoor(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const typed = typedText(event);
  if (!u || !typed) return {};
  const lang = (!ctx.langChosen || switchesLanguage(ctx, typed, u)) && u.lang ? u.lang : ctx.lang;
  // Danger told about someone else ("tolong adik sy dikurung") with no place of its own: they may be
  // anywhere, whatever was read of the writer before ("sy mau kerja ke malaysia"), so both sets of numbers.
  const elsewhere = u.where === "unknown" && u.aboutOther === true && has(u, "danger_now");
  const where = u.where !== "unknown" ? u.where : elsewhere ? null : (ctx.where ?? null);
  const patch: Partial<MainContext> = { lang, where };
  if (!ctx.langChosen && tellsLanguage(typed, u)) {
    patch.langChosen = true;
    patch.langFromText = true;
  }
  const outputs = has(u, "danger_now") ? [reply(dangerGuidance(lang, where))] : [];
  if (ctx.report && storyAtReportQuestion(ctx, event)) {
    patch.report = withStory(ctx.report, typed);
    // Where it happens, told in the story at an earlier question, is not asked again.
    if (!ctx.report.country && !PLACE_STEPS.has(ctx.step)) {
      patch.report = { ...patch.report, ...placesFrom(u, lang) };
    }
    // Told before its question comes: not asked (an answer already given stays).
    const told = toldInStory(u);
    if (ctx.report.passportWithheld !== undefined) delete told.passportWithheld;
    if (ctx.report.forcedWorkOrDebt !== undefined) delete told.forcedWorkOrDebt;
    patch.report = { ...patch.report, ...told };
  }
  return { patch, outputs };
}

function withStory(draft: ReportDraft, typed: string): ReportDraft {
  return { ...draft, narrative: addToStory(draft.narrative, typed) };
}

/**
 * Whether a message tells its language well enough to keep it: "hi" or "ok" alone does not (people
 * greet in English and go on in Indonesian, and the other way round), a sentence does.
 */
function tellsLanguage(typed: string, u: Understanding): boolean {
  return u.lang !== undefined && typed.trim().split(/\s+/).length >= 3;
}

/**
 * A sentence in the other language after the language was only read from text (not picked): "maaf kak sy
 * gk bisa bhs inggris, sy mau tanya…" after an English "hi, can you help me?" switches to Indonesian.
 */
function switchesLanguage(ctx: MainContext, typed: string, u: Understanding): boolean {
  return (
    ctx.langChosen &&
    ctx.langFromText === true &&
    u.lang !== undefined &&
    u.lang !== ctx.lang &&
    typed.trim().split(/\s+/).length >= 5
  );
}

/** First typed contact: the language of the text, and who this is before anything else. */
export function firstContact(ctx: MainContext, event: FlowEvent): Effect {
  const u = read(event);
  const lang = u?.lang ?? ctx.lang;
  const langChosen = u !== undefined && tellsLanguage(typedText(event) ?? "", u);
  // Someone writing about a place abroad gets the numbers that work there in the first line.
  const intro = t(lang, u?.where === "abroad" ? "typed.intro_abroad" : "typed.intro");
  // After the danger numbers (the front door's answer to this very message) the intro's own first
  // paragraph, a shorter danger line, would only repeat them.
  const body = u && has(u, "danger_now") ? intro.split("\n\n").slice(1).join("\n\n") || intro : intro;
  return {
    patch: { lang, langChosen, langFromText: langChosen, quiet: true, introduced: true },
    outputs: [reply(text(body))],
  };
}

/** A typed intent is one of `intents`, or a danger story counts as a report. */
export function intentIs(event: FlowEvent, intents: readonly string[]): boolean {
  const u = read(event);
  if (!u) return false;
  if (intents.includes("report") && has(u, "danger_now")) return true;
  return intents.includes(u.intent);
}

/** A story worth keeping: a few words or a signal ("mau lapor" alone is not a story). */
export function isStory(event: FlowEvent): boolean {
  const u = read(event);
  const typed = typedText(event) ?? "";
  return !!u && (u.signals.length > 0 || typed.split(/\s+/).length >= 5);
}

/** A short message that only asks to report ("lapor aja", "how do I report"), with nothing it tells. */
function bareReportRequest(text: string): boolean {
  if (!text || text.trim().split(/\s+/).length > 5 || asksToReport(text) !== "report") return false;
  return understand(text).signals.length === 0;
}

/** A report that starts with the typed story, its kind and where, from a pending offer or a carry. */
export function reportFromStory(ctx: MainContext): Effect {
  const p = ctx.pending;
  const source = p?.kind === "story" || p?.kind === "danger" ? p : p?.kind === "leave" ? p.carry : ctx.carry;
  const told = source?.story ?? "";
  // "lapor aja" asks for the report; it is not what happened.
  const story = bareReportRequest(told) ? "" : told;
  const draft: ReportDraft = { ...blankDraft(), narrative: story };
  if (source?.situation) draft.situation = source.situation;
  const u = story ? understand(story) : undefined;
  if (u) Object.assign(draft, placesFrom(u, ctx.lang));
  if (u) Object.assign(draft, toldInStory(u));
  if (u && has(u, "departure_soon")) draft.departureWithin72h = true;
  // Typed danger brought the numbers for where the person is just before; the report does not repeat them.
  if (p?.kind === "danger" || (u && has(u, "danger_now"))) draft.numbersShown = ctx.where ?? "unknown";
  return {
    patch: { report: draft, editing: false, pending: null, carry: null, check: null },
    outputs: [
      reply(text(t(ctx.lang, "report.intro"))),
      ...(story ? [reply(text(t(ctx.lang, "typed.story.started")))] : []),
    ],
  };
}

/** What a story already says yes to ("paspor ditahan", "dipaksa kerja"), so the report does not ask it. */
function toldInStory(u: Understanding): Partial<ReportDraft> {
  return {
    ...(has(u, "passport_held") ? { passportWithheld: true } : {}),
    ...(has(u, "forced_work") ? { forcedWorkOrDebt: true } : {}),
  };
}

/** The country and town a story names ("adik sy di dubai": United Arab Emirates, Dubai), when it names one. */
function placesFrom(u: Understanding, lang: Lang): Partial<ReportDraft> {
  if (u.where === "abroad" && u.place) {
    if (isCountry(u.place)) return { country: clip(placeName(u.place), 200) };
    const country = countryOfPlace(u.place, lang);
    return { city: clip(placeName(u.place), 200), ...(country ? { country } : {}) };
  }
  if (u.where === "indonesia") {
    const city =
      u.place && !/^(indonesia|indo)$/i.test(u.place) ? { city: clip(placeName(u.place), 200) } : {};
    return { country: t(lang, "report.country.indonesia"), ...city };
  }
  return {};
}
