import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readYamlFile } from "../content/yaml-file.ts";

/**
 * The understanding lexicon (`content/understand.yaml`): chat spellings, signal phrases, places, intent cues
 * and typed answers. Read once at start and validated, so a broken edit fails the catalog test, not a chat.
 */
/** A word or phrase; YAML may read `110` or `true` as a number or boolean, which is meant as text. */
const phrase = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const phrases = z.array(phrase);

export const lexiconSchema = z.object({
  slang: z.record(z.string(), z.string()),
  negators: phrases,
  past: phrases,
  now: phrases,
  planned: phrases,
  safe_again: phrases,
  signals: z.object({
    danger_now: phrases,
    child: phrases,
    passport_held: phrases,
    forced_work: phrases,
    unpaid_wages: phrases,
    departure_soon: phrases,
  }),
  not_child: phrases,
  not_signals: z.record(z.string(), phrases),
  known_words: phrases,
  places: z.object({ abroad: phrases, indonesia: phrases }),
  presence: phrases,
  destination: phrases,
  still_home: phrases,
  /** Words for people close to the writer ("adik", "sister"); see `understand/others.ts`. */
  others: phrases,
  intents: z.object({
    report: phrases,
    check: phrases,
    question: phrases,
    status: phrases,
    emergency: phrases,
    delete: phrases,
    greeting: phrases,
    thanks: phrases,
  }),
  red_flags: z.record(z.string(), phrases),
  cancels: z.record(z.string(), phrases),
  choices: z.record(z.string(), phrases),
  countries: phrases,
  city_countries: z.array(
    z.strictObject({ country: z.strictObject({ id: z.string(), en: z.string() }), places: phrases }),
  ),
  conditional: phrases,
  feelings: phrases,
  /** "sy gk tau hrs gmn", "what should I do": lost, asking where to start (not a question with an answer). */
  lost: phrases,
  answers: z.object({
    yes: phrases,
    no: phrases,
    not_yet: phrases,
    unsure: phrases,
  }),
});
export type Lexicon = z.infer<typeof lexiconSchema>;

const file = fileURLToPath(new URL("../content/understand.yaml", import.meta.url));

/** Validates the parsed lexicon; throws a readable error naming the broken key. */
function validateLexicon(value: unknown): Lexicon {
  const parsed = lexiconSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`content/understand.yaml: ${where}`);
  }
  return parsed.data;
}

let loaded: Lexicon | undefined;

/** The shipped lexicon, read on first use. */
export function lexicon(): Lexicon {
  loaded ??= validateLexicon(readYamlFile(file));
  return loaded;
}
