import { found, plain, UNKNOWN, words } from "./migration-words.ts";

/**
 * Reads the free-text recruiter and job answers of the safe-migration check with simple,
 * typo-tolerant word lists. Pure; the lists follow DOMAIN.md ("Safe migration: the legal route",
 * BP2MI Regulation 9/2020). The typed destination is read in `migration-places.ts`.
 */

/** What the typed recruiter is: a company (PT …), a government office, a person or sponsor, or not known. */
export type AgencyKind = "company" | "official" | "individual" | "unknown";

/** What the typed job is: domestic work (the Middle East moratorium), one of the ten free jobs, not known. */
export type JobReading = { domestic: boolean; freeJob: boolean; unknown: boolean };

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
