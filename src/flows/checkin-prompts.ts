import { showDate } from "./checkin-time.ts";
import { t } from "./content/catalog.ts";
import { clip, MAX_BODY_WITH_CHOICES } from "./limits.ts";
import type { MainContext } from "./main-context.ts";
import type { Lang, OutboundMessage } from "./message.ts";
import { choice, text } from "./prompt-parts.ts";

/** What the person sees at each step of the check-in flow (`checkin.*`). */
export function checkinPrompt(ctx: MainContext): OutboundMessage[] {
  const { lang, step } = ctx;
  const menu = choice(step, "menu", t(lang, "common.menu"));
  const skip = choice(step, "skip", t(lang, "common.skip"));
  const ask = (key: string, extra = false) => [text(t(lang, key), extra ? [skip, menu] : [menu])];
  switch (step) {
    case "checkin.hub":
      return hub(ctx);
    case "checkin.date":
    case "checkin.country":
    case "checkin.city":
    case "checkin.nickname":
    case "checkin.code":
      return ask(`checkin.${step.slice(8)}.prompt`);
    case "checkin.agency":
    case "checkin.employer":
    case "checkin.phrase":
      return ask(`checkin.${step.slice(8)}.prompt`, true);
    case "checkin.schedule":
      return [
        text(t(lang, "checkin.schedule.prompt"), [
          choice(step, "default", t(lang, "checkin.schedule.default")),
          choice(step, "light", t(lang, "checkin.schedule.light")),
        ]),
      ];
    case "checkin.consent":
      return [
        text(t(lang, "checkin.consent.prompt"), [
          choice(step, "yes", t(lang, "common.yes")),
          choice(step, "no", t(lang, "common.no")),
        ]),
      ];
    case "checkin.done":
      // The family code links whoever types it: on Telegram the message offers to delete itself.
      return [
        {
          type: "text",
          text: clip(done(ctx), MAX_BODY_WITH_CHOICES),
          choices: [choice(step, "people", t(lang, "checkin.hub.people")), menu],
          erase: { label: t(lang, "common.erase_button") },
        },
      ];
    case "checkin.linked":
      return [text(linked(ctx), [menu])];
    case "checkin.failed":
      return [
        text(t(lang, "checkin.code.failed"), [choice(step, "retry", t(lang, "checkin.code.retry")), menu]),
      ];
    case "checkin.people":
      return people(ctx);
    default:
      return [];
  }
}

function hub(ctx: MainContext): OutboundMessage[] {
  const { lang, step, checkins } = ctx;
  const menu = choice(step, "menu", t(lang, "common.menu"));
  const code = choice(step, "code", t(lang, "checkin.hub.code"), t(lang, "checkin.hub.code_description"));
  const view = choice(step, "view", t(lang, "checkin.hub.view"));
  if (!checkins) {
    const start = choice(
      step,
      "start",
      t(lang, "checkin.hub.start"),
      t(lang, "checkin.hub.start_description"),
    );
    return [text(t(lang, "checkin.hub.intro"), [start, code, view, menu])];
  }
  const next = checkins.schedule[checkins.next];
  const body = t(lang, "checkin.hub.active", {
    next: next ? showDate(next, checkins.zone) : t(lang, "checkin.hub.finished"),
    code: checkins.code,
  });
  return [
    text(body, [
      choice(step, "people", t(lang, "checkin.hub.people")),
      choice(step, "stop", t(lang, "checkin.hub.stop")),
      code,
      menu,
    ]),
  ];
}

function done({ lang, checkins }: MainContext): string {
  if (!checkins) return t(lang, "checkin.failed");
  const first = checkins.schedule[0];
  // A departure so long ago that every check-in is past: said plainly, not "first check-in: finished".
  if (!first) return t(lang, "checkin.done_past", { code: checkins.code });
  return t(lang, "checkin.done", { code: checkins.code, first: showDate(first, checkins.zone) });
}

function linked({ lang, family }: MainContext): string {
  const people = family && "people" in family ? family.people : [];
  if (people.length === 0) return t(lang, "checkin.family.none");
  const lines = people.map((p) =>
    t(lang, p.active ? "checkin.family.line" : "checkin.family.line_stopped", {
      name: p.nickname,
      place: p.destination,
      last: p.lastOk ? showDate(p.lastOk, "Asia/Makassar") : t(lang, "checkin.family.never"),
    }),
  );
  return `${t(lang, "checkin.family.intro")}\n${lines.join("\n")}`;
}

function people({ lang, step, family }: MainContext): OutboundMessage[] {
  const linkedPeople = family && "linked" in family ? family.linked : [];
  const menu = choice(step, "menu", t(lang, "common.menu"));
  const back = choice(step, "back", t(lang, "common.back"));
  if (linkedPeople.length === 0) return [text(t(lang, "checkin.people.none"), [back, menu])];
  const rows = linkedPeople.map((p, i) =>
    choice(step, `rm${i}`, t(lang, "checkin.people.remove", { n: i + 1 }), personLine(lang, p)),
  );
  const list = linkedPeople.map((p, i) => `${i + 1}. ${personLine(lang, p)}`).join("\n");
  return [text(`${t(lang, "checkin.people.intro")}\n${list}`, [...rows, back, menu])];
}

function personLine(lang: Lang, p: { channel: string; since: string }): string {
  return t(lang, "checkin.people.line", { channel: p.channel, since: showDate(p.since, "Asia/Makassar") });
}
