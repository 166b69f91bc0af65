import { describe, expect, it } from "vitest";
import {
  aggregateStats,
  csvField,
  normalizeCountry,
  type StatsRow,
  statsToCsv,
  statsToSvg,
} from "../../../src/bot/officers/stats.ts";

const from = new Date("2025-03-31T00:00:00+08:00"); // Monday of ISO week 14
const to = new Date("2025-04-21T00:00:00+08:00"); // three weeks later
const at = (local: string) => new Date(`${local}+08:00`);

function row(createdAt: Date, extra: Partial<StatsRow> = {}): StatsRow {
  return { createdAt, situation: "recruitment_fraud", urgency: "normal", status: "received", ...extra };
}

const rows: StatsRow[] = [
  row(at("2025-03-31T00:30"), { urgency: "critical", country: "Kamboja", situation: "scam_compound" }),
  row(at("2025-04-01T10:00"), { urgency: "high", country: "cambodia " }),
  row(at("2025-04-02T10:00"), { country: "KAMBOJA", status: "closed", outcome: "departure_prevented" }),
  row(at("2025-04-08T10:00"), { country: "Malaysia" }),
  row(at("2025-04-09T10:00"), { country: "Malaysia", urgency: "critical" }),
  row(at("2025-04-10T10:00"), { country: "Peru" }),
  row(at("2025-04-11T10:00")),
  // Outside the period: the Sunday before (in WITA, though it is already Monday 2025-03-30 in no zone)
  row(at("2025-03-30T23:59"), { country: "Kamboja" }),
  row(to, { country: "Kamboja" }),
];

describe("aggregateStats", () => {
  const stats = aggregateStats(rows, from, to);

  it("counts only reports in [from, to)", () => {
    expect(stats.total).toBe(7);
    expect(stats.from).toBe("2025-03-31");
    expect(stats.to).toBe("2025-04-21");
  });

  it("counts by ISO week in WITA, stacked by urgency, keeping empty weeks", () => {
    expect(stats.weeks).toEqual([
      { week: "2025-W14", critical: 1, high: 1, normal: 1 },
      { week: "2025-W15", critical: 1, high: 0, normal: 3 },
      { week: "2025-W16", critical: 0, high: 0, normal: 0 },
    ]);
  });

  it("puts a report made just after midnight WITA (still the day before in UTC) in the local week", () => {
    const s = aggregateStats([row(new Date("2025-04-06T16:30:00Z"))], from, to);
    expect(s.weeks.find((w) => w.normal === 1)?.week).toBe("2025-W15");
  });

  it("handles ISO weeks across a new year", () => {
    const s = aggregateStats(
      [row(at("2024-12-30T12:00")), row(at("2026-01-01T12:00"))],
      at("2024-12-29T00:00"),
      at("2026-01-02T00:00"),
    );
    expect(s.weeks[0]?.week).toBe("2024-W52");
    expect(s.weeks.find((w) => w.normal > 0)?.week).toBe("2025-W01");
    expect(s.weeks.at(-1)?.week).toBe("2026-W01");
  });

  it("counts every situation and urgency, including zero", () => {
    expect(stats.situation).toContainEqual({ key: "scam_compound", count: 1 });
    expect(stats.situation).toContainEqual({ key: "sexual_exploitation", count: 0 });
    expect(stats.urgency).toEqual([
      { key: "critical", count: 2 },
      { key: "high", count: 1 },
      { key: "normal", count: 4 },
    ]);
  });

  it("normalises countries and merges those with fewer than 3 reports into other", () => {
    expect(stats.country).toEqual([
      { key: "Kamboja", count: 3 },
      { key: "other", count: 3 },
      { key: "unknown", count: 1 },
    ]);
  });

  it("counts outcomes and statuses", () => {
    expect(stats.outcome).toEqual([
      { key: "departure_prevented", count: 1 },
      { key: "none", count: 6 },
    ]);
    expect(stats.status).toEqual([
      { key: "received", count: 6 },
      { key: "closed", count: 1 },
    ]);
  });
});

describe("normalizeCountry", () => {
  it("maps Indonesian and English names, case and accents to one name", () => {
    expect(normalizeCountry(" kamboja")).toBe("Kamboja");
    expect(normalizeCountry("Cambodia.")).toBe("Kamboja");
    expect(normalizeCountry("Türkiye")).toBe("Turki");
    expect(normalizeCountry("UAE")).toBe("Uni Emirat Arab");
    expect(normalizeCountry("new  zealand")).toBe("New Zealand");
    expect(normalizeCountry("   ")).toBe("unknown");
    expect(normalizeCountry(undefined)).toBe("unknown");
  });
});

describe("statsToCsv", () => {
  it("writes one dimension,key,count table with CRLF line ends", () => {
    const csv = statsToCsv(aggregateStats(rows, from, to));
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("dimension,key,count");
    expect(lines).toContain("total,2025-03-31/2025-04-21,7");
    expect(lines).toContain("week,2025-W15,4");
    expect(lines).toContain("week_critical,2025-W15,1");
    expect(lines).toContain("country,Kamboja,3");
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("quotes commas, quotes and line breaks and defuses spreadsheet formulas", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("plain")).toBe("plain");
    expect(csvField(3)).toBe("3");
  });
});

/** Checks that every tag opened is closed in order (enough for our generated SVG). */
function balanced(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else stack.push(name as string);
  }
  return stack.length === 0;
}

describe("statsToSvg", () => {
  it("draws a well-formed chart with title, axes, legend and one bar per urgency and week", () => {
    const svg = statsToSvg(aggregateStats(rows, from, to));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain("Laporan TPPO per minggu");
    expect(svg).toContain("Minggu (ISO)");
    expect(svg).toContain("Jumlah laporan");
    for (const word of ["KRITIS", "TINGGI", "BIASA"]) expect(svg).toContain(word);
    expect(svg).toContain("W15");
    expect(svg.match(/<rect [^>]*fill="#D55E00"><title>/g)).toHaveLength(2);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it("escapes a user-given title", () => {
    const svg = statsToSvg(aggregateStats(rows, from, to), { title: `Gugus <Tugas> & "Bali" 'x'` });
    expect(svg).toContain("Gugus &lt;Tugas&gt; &amp; &quot;Bali&quot; &apos;x&apos;");
    expect(svg).not.toContain("<Tugas>");
    expect(balanced(svg)).toBe(true);
  });

  it("says so when the period has no reports, in English too", () => {
    const svg = statsToSvg(aggregateStats([], from, to), { lang: "en" });
    expect(svg).toContain("No reports in this period.");
    expect(balanced(svg)).toBe(true);
  });
});
