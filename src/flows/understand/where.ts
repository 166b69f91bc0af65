import { lexicon } from "./lexicon.ts";
import type { Token } from "./normalise.ts";
import { findAll, type Hit } from "./phrases.ts";
import { negatedHit } from "./signals.ts";

const PLAN = new Set([
  "mau",
  "akan",
  "will",
  "going",
  "rencana",
  "untuk",
  "katanya",
  "promised",
  "promise",
  "offer",
  "offered",
  "offering",
  "offers",
  "menawarkan",
  "ditawari",
  "ditawarin",
  "tawaran",
  "ingin",
  "pengen",
  "want",
  "apply",
  "lowongan",
  "loker",
  "for",
  "soal",
  "tentang",
  "mengenai",
  "about",
]);
const AIRPORT = /ngurah rai|bandara|airport/;
const LEAVING = [
  "mau berangkat",
  "akan berangkat",
  "mau diberangkatkan",
  "akan diberangkatkan",
  "mau dikirim",
  "akan dikirim",
  "mau dibawa",
  "akan dibawa",
  "berangkat besok",
  "berangkat lusa",
  "terbang ke",
  "will go",
  "will leave",
  "will fly",
  "is leaving",
  "leaving for",
  "flying to",
  "going to ~ tomorrow",
];

/** Where the person in trouble is now, as far as the words tell. */
export type Where = "indonesia" | "abroad" | "unknown";

const PRESENCE_STRONG = [
  "saya di",
  "kami di",
  "i am in",
  "i am at",
  "we are in",
  "we are at",
  "sekarang di",
  "masih di",
  "sudah di",
  "lagi di",
  "sedang di",
  "tinggal di",
  "stuck in",
  "went to",
  "sejak ke",
  "sejak berangkat ke",
  "sudah berangkat ke",
  "sudah pergi ke",
  "sudah terbang ke",
  "left for",
  "flew to",
  "was sent to",
  "were sent to",
  "now in",
  "currently in",
  "still in",
  "living in",
  "here in",
  "terjebak di",
  "disekap di",
  "dikurung di",
  "ditahan di",
  "held in",
  "locked in",
  "trapped in",
  "dibawa ke",
  "dikirim ke",
  "dijual ke",
  "taken to",
  "sold to",
  "pulang ke",
  "back in",
  "home in",
  "back to",
];

/**
 * Reads where the person is: abroad when a foreign place is named with "di"/"in" ("disekap di Myawaddy",
 * "now in Dubai"), unless the text speaks of an offer or a plan ("tawaran kerja di Jepang", "mau ke Dubai")
 * without a strong now-there word; Indonesia when a place at home is named that way or the text says
 * "belum berangkat"; otherwise unknown. `place` is the name as typed.
 */
export function detectWhere(
  tokens: Token[],
  hasTrouble: boolean,
): { where: Where; place?: string; strength?: number } {
  const lex = lexicon();
  if (findAll(tokens, lex.still_home).length > 0) return { where: "indonesia" };
  // "Sudah pulang", "now home in Bali": the person is back, whatever happened abroad.
  const back = findAll(tokens, lex.safe_again).filter((h) => !negatedHit(tokens, h));
  if (back.some((h) => /pulang|rumah|home|kembali|back/.test(h.phrase))) return { where: "indonesia" };
  const destination = findAll(tokens, lex.destination).length > 0;
  const abroad = findAll(tokens, lex.places.abroad);
  const home = findAll(tokens, lex.places.indonesia);

  let best: { where: Where; place: string; strength: number } | undefined;
  const consider = (where: Where, hit: Hit) => {
    const strength = presence(tokens, hit, destination, hasTrouble);
    if (strength > 0 && (!best || strength > best.strength)) best = { where, place: hit.words, strength };
  };
  for (const hit of abroad) consider("abroad", hit);
  for (const hit of home) consider("indonesia", hit);
  // "masih di sana", "still there" after a place abroad was named.
  if (
    abroad.length > 0 &&
    findAll(tokens, ["masih di sana", "sekarang di sana", "still there", "still over there"]).length > 0
  ) {
    return { where: "abroad", place: abroad[abroad.length - 1]?.words ?? "" };
  }
  if (best) return best;
  // Someone about to be sent abroad ("mau diberangkatkan ke Malaysia lusa") is still in Indonesia.
  if (abroad.length > 0 && findAll(tokens, LEAVING).length > 0) return { where: "indonesia" };
  return { where: "unknown" };
}

/** 0: the place is only mentioned or a destination; 1: "di X"; 2: "masih di X", "disekap di X"; 3: "di X" in a story of trouble. */
function presence(tokens: Token[], hit: Hit, destination: boolean, hasTrouble: boolean): number {
  const clause = tokens[hit.start]?.clause;
  const before = tokens.slice(Math.max(0, hit.start - 3), hit.start).filter((t) => t.clause === clause);
  const lex = lexicon();
  // "janjinya kerja di Jepang", "mau dikirim ke Malaysia": a promise or a plan, not where the person is.
  if (before.some((t) => t.forms.some((f) => PLAN.has(f) || f.startsWith("janji")))) return 0;
  if (AIRPORT.test(hit.phrase) || before.some((t) => t.forms.some((f) => f === "bandara" || f === "airport")))
    return 3;
  if (/^(di|in|at)\b/.test(hit.phrase)) return destination ? 1 : 2;
  if (findAll(before, PRESENCE_STRONG).length > 0) return 3;
  const last = before[before.length - 1];
  const towards = last?.forms.some(
    (f) => f === "ke" || f === "to" || f === "menuju" || f === "via" || f === "lewat" || f === "transit",
  );
  if (towards) return 0;
  const at = last?.forms.some((f) => f === "di" || f === "in" || f === "at" || f === "from");
  if (at && hasTrouble) return 3;
  if (at && !destination) return 2;
  if (at) return 0;
  // A place named without "di"/"in" counts only in a story of trouble ("saudi, gaji tidak dibayar").
  return hasTrouble && !destination && findAll(before, lex.destination).length === 0 ? 1 : 0;
}

/** Whether a typed place name ("Malaysia", "Denpasar", "kmboja") is in Indonesia or abroad. */
export function placeKind(tokens: Token[]): Where {
  const lex = lexicon();
  if (findAll(tokens, lex.places.indonesia).length > 0) return "indonesia";
  if (findAll(tokens, lex.places.abroad).length > 0) return "abroad";
  return "unknown";
}
