/**
 * What a message names outright, so the flows do not ask for it again.
 *
 * The recruiter a story names, so the report does not ask for it again: a company ("PT Maju Jaya",
 * "pt. sinar abadi", "CV …", "LPK …", "yayasan …") or an agent or broker with a name ("agennya namanya
 * Pak Wayan", "calo bernama Budi", "an agency called Bright Star"). Only a name that is said; "agen"
 * alone is no name. The person sees it in the review and can change it.
 */

/** Words a name does not run into: it ends at the first of them (or at punctuation). */
const STOP = new Set(
  (
    "di ke dari yg yang dan itu ini tsb bilang blg minta janji janjiin kasih ksh tapi tp trus terus lalu " +
    "sudah udah sdh udh mau akan katanya ktnya untuk utk buat dengan dgn sama sm pada bahwa karena krn jadi jd " +
    "juga jg lagi lg tidak tdk gak ga gk nggak ngga bukan masih msh pernah punya nya sy saya aku adik kakak " +
    "ibu bapak suami istri anak kami kita mereka dia ia resmi abal abal palsu gaji kerja berangkat " +
    "the that who which in at from to and but with for is was has had said promised asked took"
  ).split(" "),
);

/** "PT" and the like, then the name. */
const COMPANY =
  /\b(pt|cv|lpk|p3mi|pjtki|pptkis|yayasan|agency|company)\b\.?\s+([\p{L}\d&.'-]+(?:\s+[\p{L}\d&.'-]+){0,4})/iu;
/** A person or agency with a name said outright: "agennya namanya …", "calo bernama …", "called …". */
const NAMED =
  /\b(?:agen(?:si)?|agent|perekrut|calo|sponsor|penyalur|recruiter|agency|broker)(?:nya)?\s+(?:[\p{L}]+\s+){0,3}?(?:namanya|bernama|nama|called|named)\s+([\p{L}\d&.'-]+(?:\s+[\p{L}\d&.'-]+){0,3})/iu;

export function recruiterIn(text: string): string | undefined {
  const named = NAMED.exec(text);
  if (named?.[1]) return tidy(named[1]);
  const company = COMPANY.exec(text);
  if (company?.[1] && company[2]) {
    const name = tidy(company[2]);
    if (!name) return undefined;
    const kind = company[1].toLowerCase();
    // "an agency called …" is caught above; "agency"/"company" alone name nothing.
    if (kind === "agency" || kind === "company") return undefined;
    return `${kind === "yayasan" ? "Yayasan" : kind.toUpperCase()} ${name}`;
  }
  return undefined;
}

/** Titles a person's name may start with ("Pak Wayan", "Mr. Lee", "Ibu Sari"). */
const TITLES = new Set(
  "pak bpk bapak bu ibu mas mbak mba bli kak haji hj mr mrs ms miss mister madam mdm dr".split(" "),
);

/** The name's words up to the first stop word, capitalised as people write names. */
function tidy(words: string): string | undefined {
  const kept: string[] = [];
  for (const raw of words.split(/\s+/)) {
    const word = raw.replace(/[.,'-]+$/, "");
    if (kept.length === 0 && TITLES.has(word.toLowerCase())) {
      kept.push(raw.endsWith(".") ? `${word}.` : word);
      continue;
    }
    if (!word || STOP.has(word.toLowerCase())) break;
    kept.push(word);
    if (raw !== word && /[.,]$/.test(raw)) break;
  }
  // A title alone ("pak") names nobody.
  if (kept.length === 0 || (kept.length === 1 && TITLES.has(kept[0]!.replace(/\.$/, "").toLowerCase())))
    return undefined;
  return kept.map((w) => (w === w.toLowerCase() ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(" ");
}

/** "… kerja di thailand jd admin", "a job offer in Japan as a factory worker": the job after the offer. */
const JOB =
  /\b(?:kerja|bekerja|kerjaan|job|work|working|lowongan|posisi|ditawari|ditawarin|nawarin|offer|offered)\b(?:\s+[^\s,.!?]+){0,4}?\s+(?:jadi|jd|sebagai|sbg|as an?|as)\s+([\p{L}]+(?:\s+[\p{L}]+){0,2})/iu;

/** "kerja di pabrik", "work in a factory": a workplace that says what the job is. */
const WORKPLACE =
  /\b(?:kerja|bekerja|work|working|job)\s+(?:di|ke|in|at|on)\s+(?:an?\s+)?(pabrik|factory|restoran|restaurant|hotel|kapal pesiar|cruise ship|kapal ikan|fishing boat|kapal|perkebunan|kebun sawit|kebun|plantation|farm|peternakan|panti jompo|nursing home|salon|spa|konstruksi|construction site|karaoke|bar|kasino|casino)\b/iu;

/** The job an offer names ("jd admin" → "admin", "kerja di pabrik" → "pabrik"), or undefined. */
export function jobIn(text: string): string | undefined {
  const m = JOB.exec(text);
  if (!m?.[1]) return WORKPLACE.exec(text)?.[1]?.toLowerCase();
  const kept: string[] = [];
  for (const word of m[1].split(/\s+/)) {
    if (STOP.has(word.toLowerCase()) || JOB_STOP.has(word.toLowerCase())) break;
    kept.push(word);
  }
  return kept.length > 0 ? kept.join(" ") : undefined;
}

/** Words that end a job's name besides {@link STOP}. */
const JOB_STOP = new Set(
  "gaji salary pake pakai lewat via visa katanya is it legit safe aman through thru melalui by".split(" "),
);
