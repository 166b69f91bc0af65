/**
 * Reads the free-text answers of the safe-migration check (destination, job, recruiter) with simple,
 * typo-tolerant word lists: "kmboja", "malasya", "saudy" and "tailand" are still the countries meant.
 * Pure; the lists follow DOMAIN.md ("Safe migration: the legal route", BP2MI Regulation 9/2020).
 */

/** Where a typed destination points: a placement country, or one DOMAIN warns about. */
export type PlaceKind = "non_placement" | "thailand" | "middle_east" | "placement";

/** What the typed recruiter is: a company (PT …), a government office, a person or sponsor, or not known. */
export type AgencyKind = "company" | "official" | "individual" | "unknown";

/** What the typed job is: domestic work (the Middle East moratorium), one of the ten free jobs, not known. */
export type JobReading = { domestic: boolean; freeJob: boolean; unknown: boolean };

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

/** "I don't know (yet)" in the words people type. */
const UNKNOWN =
  /\b(belum|blm|tidak|tdk|gak|ga|gk|nggak|ngga|enggak|kurang)\s*(tahu|tau|jelas|pasti|yakin)\b|\b(don'?t|do not|dont) know\b|\bnot sure\b|\bunknown\b|\bno idea\b|\bidk\b|^[?\-.\s]+$/;

/** A recruiter by role: these make the recruiter a person even next to a company name ("sponsor dari PT …"). */
const ROLE_WORDS = [
  "calo",
  "sponsor",
  "perorangan",
  "perseorangan",
  "individu",
  "individual",
  "makelar",
  "perantara",
  "=tekong",
  "petugas lapangan",
  "=pl",
  "broker",
  "middleman",
  "orang desa",
  "orang kampung",
  "orang banjar",
  "orang dusun",
  "warga desa",
  "perangkat desa",
];

const COMPANY_WORDS = [
  "=pt",
  "=p t",
  "=cv",
  "=ltd",
  "=inc",
  "=corp",
  "=tbk",
  "=sdn bhd",
  "=p3mi",
  "=lpk",
  "perseroan",
  "perusahaan",
  "company",
  "agency",
  "agensi",
  "yayasan",
  "manpower",
  "recruitment",
  "rekrutmen",
  "limited",
];

const OFFICIAL_WORDS = [
  "disnaker",
  "=bp2mi",
  "=kp2mi",
  "=bp3mi",
  "=ltsa",
  "pemerintah",
  "government",
  "=g to g",
  "=g2g",
  "=im japan",
];

/** "none" for the recruiter: nobody is named. */
const NO_ONE = ["=tidak ada", "=belum ada", "=tanpa agen", "=none", "=no agency", "=no one"];

const DOMESTIC_WORDS = [
  "=prt",
  "=art",
  "pembantu",
  "rumah tangga",
  "pengasuh",
  "babysitter",
  "baby sitter",
  "nanny",
  "=maid",
  "housemaid",
  "domestic",
  "household",
  "caregiver",
  "perawat lansia",
  "perawat jompo",
  "jaga lansia",
  "penjaga lansia",
  "sopir keluarga",
  "sopir pribadi",
  "supir keluarga",
  "supir pribadi",
  "family driver",
];

/** BP2MI Regulation 9/2020: jobs whose placement costs are never charged to the worker (besides domestic work). */
const FREE_JOB_WORDS = [
  "juru masak",
  "tukang masak",
  "=koki",
  "=cook",
  "=sopir",
  "=supir",
  "driver",
  "tukang kebun",
  "perawat taman",
  "gardener",
  "petugas kebersihan",
  "cleaner",
  "cleaning service",
  "perkebunan",
  "=ladang",
  "=sawit",
  "plantation",
  "=abk",
  "awak kapal",
  "anak buah kapal",
  "kapal ikan",
  "nelayan",
  "fishing",
  "fisherman",
];

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

/** What kind of recruiter a typed name is; undefined when nothing was typed. */
export function readAgency(text: string): AgencyKind | undefined {
  const normal = plain(text);
  if (!normal) return undefined;
  const tokens = words(normal);
  if (UNKNOWN.test(normal) || (tokens.length <= 3 && found(tokens, NO_ONE))) return "unknown";
  if (found(tokens, ROLE_WORDS)) return "individual";
  if (found(tokens, OFFICIAL_WORDS)) return "official";
  if (found(tokens, COMPANY_WORDS)) return "company";
  // A person's name, or anything else that names no company: not a licensed placement agency (P3MI).
  return tokens.length > 0 ? "individual" : "unknown";
}

/** What a typed job says; undefined when nothing was typed. */
export function readJob(text: string): JobReading | undefined {
  const normal = plain(text);
  if (!normal) return undefined;
  const tokens = words(normal);
  const domestic = found(tokens, DOMESTIC_WORDS);
  return {
    domestic,
    freeJob: domestic || found(tokens, FREE_JOB_WORDS),
    unknown: UNKNOWN.test(normal),
  };
}

/** Lower case, accents dropped, letters typed three or more times cut to one, spaces collapsed. */
function plain(text: string): string {
  return text
    .slice(0, 500)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

function words(normal: string): string[] {
  return normal.match(/[\p{L}\p{N}]+/gu) ?? [];
}

function found(tokens: string[], list: readonly string[]): boolean {
  return tokens.some((_, i) => list.some((entry) => matchAt(tokens, i, entry) !== undefined));
}

/** Whether `entry` (one or more words) starts at token `i`, and how many typos it took. */
function matchAt(tokens: string[], i: number, entry: string): { cost: number; size: number } | undefined {
  const exact = entry.startsWith("=");
  const parts = (exact ? entry.slice(1) : entry).split(" ");
  let cost = 0;
  for (const [k, part] of parts.entries()) {
    const token = tokens[i + k];
    if (token === undefined) return undefined;
    const c = nearness(token, part, exact);
    if (c === undefined) return undefined;
    cost += c;
  }
  return { cost, size: parts.length };
}

/**
 * 0 for the word itself (or with "-nya"), else the number of typos when forgiven: none under five
 * letters, one up to seven, two from eight; the first letter must be right.
 */
function nearness(token: string, word: string, exact: boolean): number | undefined {
  const forms =
    token.length > word.length + 2 && token.endsWith("nya") ? [token, token.slice(0, -3)] : [token];
  if (forms.includes(word)) return 0;
  if (exact || word.length < 5) return undefined;
  const max = word.length >= 8 ? 2 : 1;
  let best: number | undefined;
  for (const form of forms) {
    if (form[0] !== word[0] || Math.abs(form.length - word.length) > max) continue;
    const d = distance(form, word);
    if (d <= max && (best === undefined || d < best)) best = d;
  }
  return best;
}

/** Edit distance with swaps of neighbouring letters (optimal string alignment). */
function distance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const up = rows[i - 1] as number[];
      const sub = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + sub);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = d;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}
