import { t } from "./content/catalog.ts";
import { clip } from "./limits.ts";
import type { OpenCase } from "./main-context.ts";
import type { Lang } from "./message.ts";

/** A case's status, officer note and questions for the reporter, within one text message. */
export function caseDetail(lang: Lang, open: OpenCase): string {
  const parts = [
    t(lang, "status.detail", { code: clip(open.code, 40), status: t(lang, `status.states.${open.status}`) }),
  ];
  if (open.outcome) parts.push(t(lang, "status.outcome", { outcome: clip(open.outcome, 600) }));
  if (open.questions.length === 0) {
    parts.push(t(lang, "status.no_questions"));
  } else {
    const items = open.questions.slice(-10).map((q) => {
      const n = open.questions.indexOf(q) + 1;
      const item = t(lang, "status.question_item", { n, text: clip(q.text, 300) });
      return q.answered ? `${item} ${t(lang, "status.answered")}` : item;
    });
    parts.push([t(lang, "status.questions_title"), ...items].join("\n"));
  }
  return parts.join("\n\n");
}
