import { matchAt, plain, UNKNOWN, words } from "./migration-words.ts";

/**
 * Reads the typed destination of the safe-migration check with typo-tolerant place lists: "kmboja",
 * "malasya", "saudy" and "tailand" are still the countries meant. Pure; the lists follow DOMAIN.md
 * ("Safe migration: the legal route").
 */

/** Where a typed destination points: a placement country, or one DOMAIN warns about. */
export type PlaceKind = "non_placement" | "thailand" | "middle_east" | "placement";

/** The places a typed destination names, each kind once; the closest spelling wins a tie. */
export function readPlaces(text: string): { kinds: Set<PlaceKind>; unknown: boolean } {
  const normal = plain(text);
  const tokens = words(normal);
  const kinds = new Set<PlaceKind>();
  for (let i = 0; i < tokens.length; i++) {
    let best: { kind: PlaceKind; cost: number; size: number } | undefined;
    for (const [kind, list] of Object.entries(PLACES) as [PlaceKind, readonly string[]][]) {
      for (const entry of list) {
        const hit = matchAt(tokens, i, entry);
        if (hit === undefined) continue;
        const better = !best || hit.size > best.size || (hit.size === best.size && hit.cost < best.cost);
        if (better) best = { kind, cost: hit.cost, size: hit.size };
      }
    }
    if (best) {
      kinds.add(best.kind);
      i += best.size - 1;
    }
  }
  return { kinds, unknown: normal.length > 0 && UNKNOWN.test(normal) };
}

/**
 * Words and phrases; `=` marks a word that must be typed exactly (short, or one typo away from an
 * everyday word: "mesir"/"mesin", "katar"/"kamar", "mekah"/"mewah").
 */
const PLACES: Record<PlaceKind, readonly string[]> = {
  non_placement: [
    "kamboja",
    "kambodja",
    "kambodia",
    "cambodia",
    "cambodge",
    "phnom penh",
    "pnom penh",
    "sihanoukville",
    "sihanouk",
    "=bavet",
    "poipet",
    "myanmar",
    "=burma",
    "=birma",
    "myawaddy",
    "myawadi",
    "shwe kokko",
    "=kk park",
    "=laos",
    "=lao pdr",
    "vientiane",
  ],
  thailand: ["thailand", "=thai", "muang thai", "bangkok", "=mae sot"],
  middle_east: [
    "arab saudi",
    "saudi arabia",
    "saudi",
    "=arab",
    "=ksa",
    "=uae",
    "emirat",
    "emirates",
    "dubai",
    "abu dhabi",
    "qatar",
    "=katar",
    "=doha",
    "kuwait",
    "=oman",
    "bahrain",
    "bahrein",
    "yordania",
    "jordan",
    "=yaman",
    "=yemen",
    "=irak",
    "=iraq",
    "suriah",
    "=syria",
    "lebanon",
    "libanon",
    "=mesir",
    "=egypt",
    "timur tengah",
    "middle east",
    "riyadh",
    "=riyad",
    "jeddah",
    "=jedah",
    "=mekah",
    "makkah",
    "mekkah",
    "madinah",
  ],
  placement: [
    "malaysia",
    "singapura",
    "singapore",
    "brunei",
    "taiwan",
    "hongkong",
    "=hong kong",
    "jepang",
    "japan",
    "korea",
    "korea selatan",
    "south korea",
    "australia",
    "selandia baru",
    "new zealand",
    "polandia",
    "poland",
    "jerman",
    "germany",
    "turki",
    "turkey",
  ],
};
