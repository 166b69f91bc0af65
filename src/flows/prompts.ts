import { checkinPrompt } from "./checkin-prompts.ts";
import { t } from "./content/catalog.ts";
import { clip, MAX_BODY_WITH_CHOICES } from "./limits.ts";
import type { MainContext } from "./main-context.ts";
import { type Choice, choicesOf, type Lang, type OutboundMessage } from "./message.ts";
import { assessCheck, checkQuestions } from "./migration-check.ts";
import { choice, text } from "./prompt-parts.ts";
import { qaEntry } from "./qa-search.ts";
import { situationSchema } from "./report.ts";
import { reviewSummary } from "./review.ts";
import { caseDetail } from "./status-text.ts";

/**
 * What the user sees at each step. `prompt(ctx)` rebuilds the current step's messages from the
 * context alone, so any step can be repeated after an expired button, an unreadable message or a
 * pushed case update. Choice ids are `<step>:<value>` so a button from an older message never
 * answers a newer question.
 */
export function prompt(ctx: MainContext): OutboundMessage[] {
  if (ctx.step.startsWith("check.q.")) return checkPrompt(ctx);
  if (ctx.step.startsWith("checkin.")) return checkinPrompt(ctx);
  const build = PROMPTS[ctx.step];
  return build ? build(ctx) : [];
}

export { choice, text };

/** The value of the choice `id` if the current step offers it. */
export function offeredValue(ctx: MainContext, id: string): string | undefined {
  const prefix = `${ctx.step}:`;
  if (!id.startsWith(prefix)) return undefined;
  const offered = prompt(ctx).some((m) => choicesOf(m)?.some((c) => c.id === id));
  return offered ? id.slice(prefix.length) : undefined;
}

function request(kind: "media" | "location", body: string, choices: Choice[]): OutboundMessage {
  return { type: "request", kind, text: clip(body, MAX_BODY_WITH_CHOICES), choices };
}

type Build = (ctx: MainContext) => OutboundMessage[];

const MENU_OPTIONS = ["check", "report", "checkin", "qa", "status", "emergency", "delete"] as const;
const WHEN_OPTIONS = ["now", "week", "earlier", "soon"] as const;
const PEOPLE_OPTIONS = ["one", "two_five", "more", "unknown"] as const;
const REVIEW_OPTIONS = [
  "confirm",
  "edit_story",
  "edit_recruiter",
  "edit_where",
  "restart",
  "cancel",
] as const;

function yesNoUnsure(step: string, lang: Lang): Choice[] {
  return [
    choice(step, "yes", t(lang, "common.yes")),
    choice(step, "no", t(lang, "common.no")),
    choice(step, "unsure", t(lang, "common.unsure")),
  ];
}

const menuChoice = (step: string, lang: Lang) => choice(step, "menu", t(lang, "common.menu"));
const skipChoice = (step: string, lang: Lang) => choice(step, "skip", t(lang, "common.skip"));
const doneChoice = (step: string, lang: Lang) => choice(step, "done", t(lang, "common.done"));

function ynu(key: string): Build {
  return ({ lang, step }) => [text(t(lang, key), yesNoUnsure(step, lang))];
}

const PROMPTS: Record<string, Build> = {
  language: ({ step }) => [
    text(t("id", "menu.language.prompt"), [
      choice(step, "id", t("id", "menu.language.id")),
      choice(step, "en", t("en", "menu.language.en")),
    ]),
  ],
  menu: ({ lang, step, paused }) => [
    text(t(lang, "menu.prompt"), [
      ...(paused
        ? [
            choice(
              step,
              "resume",
              t(lang, `typed.resume.${paused.flow}`),
              t(lang, "typed.resume.description"),
            ),
          ]
        : []),
      ...MENU_OPTIONS.map((o) =>
        choice(step, o, t(lang, `menu.options.${o}`), t(lang, `menu.descriptions.${o}`)),
      ),
    ]),
  ],
  deleteConfirm: ({ lang, step }) => [
    text(t(lang, "menu.delete.confirm"), [
      choice(step, "yes", t(lang, "menu.delete.yes")),
      choice(step, "no", t(lang, "menu.delete.no")),
    ]),
  ],
  "check.result": (ctx) => [text(t(ctx.lang, "migration.result.next"), checkNextChoices(ctx, true))],
  "check.detail": (ctx) => [text(t(ctx.lang, "menu.check.next"), checkNextChoices(ctx, false))],
  "qa.ask": ({ lang, step }) => [text(t(lang, "menu.qa.ask"), [menuChoice(step, lang)])],
  "qa.answered": ({ lang, step, qa }) => {
    const related = (qa?.related ?? []).flatMap((id, i) => {
      const entry = qaEntry(lang, id);
      return entry ? [choice(step, `r${i}`, entry.title, entry.question)] : [];
    });
    return [
      text(t(lang, qa?.guess ? "typed.did_you_mean" : "menu.qa.more"), [...related, menuChoice(step, lang)]),
    ];
  },
  "qa.nomatch": ({ lang, step }) => [
    text(t(lang, "menu.qa.no_match"), [
      menuChoice(step, lang),
      choice(step, "report", t(lang, "menu.qa.report")),
    ]),
  ],
  "report.situation": ({ lang, step }) => [
    text(
      t(lang, "report.situation.prompt"),
      situationSchema.options.map((s) =>
        choice(
          step,
          s,
          t(lang, `report.situation.options.${s}`),
          t(lang, `report.situation.descriptions.${s}`),
        ),
      ),
    ),
  ],
  "report.country": ({ lang, step }) => [
    text(t(lang, "report.country.prompt"), [
      choice(step, "indonesia", t(lang, "report.country.indonesia")),
      choice(step, "unknown", t(lang, "report.country.unknown")),
    ]),
  ],
  "report.city": ({ lang, step }) => [text(t(lang, "report.city.prompt"), [skipChoice(step, lang)])],
  "report.location": ({ lang, step }) => [
    request("location", t(lang, "report.location.prompt"), [skipChoice(step, lang)]),
  ],
  "report.when": ({ lang, step }) => [
    text(
      t(lang, "report.when.prompt"),
      WHEN_OPTIONS.map((o) => choice(step, o, t(lang, `report.when.options.${o}`))),
    ),
  ],
  "report.people": ({ lang, step }) => [
    text(
      t(lang, "report.people.prompt"),
      PEOPLE_OPTIONS.map((o) => choice(step, o, t(lang, `report.people.options.${o}`))),
    ),
  ],
  "report.minors": ynu("report.minors.prompt"),
  "report.danger": ynu("report.danger.prompt"),
  "report.confined": ynu("report.confined.prompt"),
  "report.passport": ynu("report.passport.prompt"),
  "report.forced": ynu("report.forced.prompt"),
  "report.departure": ynu("report.departure.prompt"),
  "report.narrative": ({ lang, step, report, editing }) => {
    if (!report?.narrative) return [text(t(lang, "report.narrative.prompt"), [skipChoice(step, lang)])];
    // Changing the story from the review: what is there now, to add to or write again.
    if (editing) {
      const story = clip(report.narrative, 1200);
      return [
        text(t(lang, "report.narrative.edit", { story }), [
          doneChoice(step, lang),
          choice(step, "rewrite", t(lang, "report.narrative.rewrite")),
        ]),
      ];
    }
    return [text(t(lang, "report.narrative.more"), [doneChoice(step, lang)])];
  },
  "report.recruiter": ({ lang, step }) => [
    text(t(lang, "report.recruiter.prompt"), [skipChoice(step, lang)]),
  ],
  "report.evidence": ({ lang, step, report }) => {
    const count = report?.evidenceRefs.length ?? 0;
    if (count === 0) return [request("media", t(lang, "report.evidence.prompt"), [skipChoice(step, lang)])];
    const body =
      count >= MAX_EVIDENCE
        ? t(lang, "report.evidence.full", { max: MAX_EVIDENCE })
        : t(lang, "report.evidence.received", { count });
    return [request("media", body, [doneChoice(step, lang)])];
  },
  "report.consent": ({ lang, step }) => [
    text(t(lang, "report.consent.prompt"), [
      choice(step, "yes", t(lang, "report.consent.yes")),
      choice(step, "no", t(lang, "report.consent.no")),
    ]),
  ],
  "report.review": (ctx) => [
    text(reviewSummary(ctx.lang, ctx.report)),
    text(
      t(ctx.lang, "report.review.prompt"),
      REVIEW_OPTIONS.map((o) => choice(ctx.step, o, t(ctx.lang, `report.review.options.${o}`))),
    ),
  ],
  "report.submitting": ({ lang }) => [text(t(lang, "report.submitting"))],
  "report.failed": ({ lang, step }) => [
    text(t(lang, "report.failed.prompt"), [
      choice(step, "retry", t(lang, "report.failed.retry")),
      menuChoice(step, lang),
    ]),
  ],
  "status.code": ({ lang, step }) => [text(t(lang, "status.code.prompt"), [menuChoice(step, lang)])],
  "status.pin": ({ lang, step }) => [text(t(lang, "status.pin.prompt"), [menuChoice(step, lang)])],
  "status.lookup": ({ lang }) => [text(t(lang, "status.checking"))],
  "status.failed": ({ lang, step }) => [
    text(t(lang, "status.failed"), [choice(step, "retry", t(lang, "status.retry")), menuChoice(step, lang)]),
  ],
  "status.open": ({ lang, step, status }) => {
    const open = status?.case;
    if (!open) return [text(t(lang, "common.waiting"), [menuChoice(step, lang)])];
    const answer = open.questions
      .map((q, i) => ({ q, i }))
      .filter(({ q }) => !q.answered)
      .slice(0, MAX_QUESTION_CHOICES)
      .map(({ i }) => choice(step, `q${i}`, t(lang, "status.open.answer", { n: i + 1 })));
    return [
      text(caseDetail(lang, open)),
      text(t(lang, "status.open.prompt"), [
        ...answer,
        choice(step, "add", t(lang, "status.open.add"), t(lang, "status.open.add_description")),
        menuChoice(step, lang),
      ]),
    ];
  },
  "status.answer": ({ lang, step, status }) => [
    text(t(lang, "status.answer.prompt", { n: (status?.answering ?? 0) + 1 }), [
      choice(step, "back", t(lang, "common.back")),
    ]),
  ],
  "status.add": ({ lang, step }) => [
    request("media", t(lang, "status.add.prompt"), [choice(step, "back", t(lang, "common.back"))]),
  ],
  "status.appending": ({ lang }) => [text(t(lang, "common.waiting"))],
};

function checkPrompt({ lang, step, check }: MainContext): OutboundMessage[] {
  const index = check?.index ?? 0;
  const q = checkQuestions[index];
  if (!q) return [];
  const head = t(lang, "menu.check.progress", { n: index + 1, total: checkQuestions.length });
  if (q.kind === "yesno" && q.notYet) {
    const values = ["yes", "not_yet", "no", "unsure"];
    const choices = values.map((v) => choice(step, v, t(lang, `migration.choices.${q.id}.${v}`)));
    return [text(`${head}\n\n${t(lang, q.key)}`, choices)];
  }
  if (q.kind === "yesno") return [text(`${head}\n\n${t(lang, q.key)}`, yesNoUnsure(step, lang))];
  return [
    text(`${head}\n\n${t(lang, q.key)}\n\n${t(lang, "menu.check.text_hint")}`, [skipChoice(step, lang)]),
  ];
}

/**
 * What to do after a check result: after a low one, more detail and questions come first and reporting
 * last; after a high one, reporting the recruiter comes first. "More detail" only before it was shown.
 */
function checkNextChoices({ lang, step, check }: MainContext, withDetail: boolean): Choice[] {
  const level = assessCheck(check?.answers ?? {}).level;
  const detail = withDetail
    ? [
        choice(
          step,
          "detail",
          t(lang, "migration.result.choices.detail"),
          t(lang, "migration.result.choices.detail_description"),
        ),
      ]
    : [];
  const report = choice(
    step,
    "report",
    t(lang, "menu.check.report"),
    t(lang, "menu.check.report_description"),
  );
  const qa = choice(step, "qa", t(lang, "menu.options.qa"), t(lang, "menu.descriptions.qa"));
  const menu = menuChoice(step, lang);
  const checkin = choice(step, "checkin", t(lang, "checkin.offer"), t(lang, "checkin.offer_description"));
  if (level === "high") return [report, ...detail, checkin, qa, menu];
  if (level === "medium") return [...detail, checkin, qa, report, menu];
  return [...detail, checkin, qa, menu, report];
}

export const MAX_EVIDENCE = 20;
const MAX_QUESTION_CHOICES = 5;
