import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  caseDetailText,
  closePrompt,
  type PoliceSummaryInput,
  policeSummary,
} from "../../../src/bot/officers/case-summary.ts";
import {
  caseListText,
  digestText,
  officerQuestionText,
  statusChangedText,
} from "../../../src/bot/officers/case-texts.ts";
import { type Report, reportSchema, situationSchema, yesNoUnsureSchema } from "../../../src/flows/report.ts";
import { triage } from "../../../src/flows/triage.ts";

const CODE = "TPPO-7K3M-9QX2";

function input(report: Partial<Report>, extra: Partial<PoliceSummaryInput> = {}): PoliceSummaryInput {
  return {
    code: CODE,
    urgency: "critical",
    reasons: ["danger_now", "confined"],
    report: reportSchema.parse({ lang: "id", situation: "held_or_forced_work", ...report }),
    receivedAt: new Date("2025-04-07T01:30:00Z"),
    evidenceCount: 2,
    ...extra,
  };
}

function body(message: ReturnType<typeof policeSummary>): string {
  if (message.type !== "text") throw new Error("expected text");
  return message.text;
}

describe("policeSummary", () => {
  it("says which of confined / passport / forced work the reporter was not sure of, instead of leaving them out", () => {
    const text = body(policeSummary(input({ confined: false, unsure: ["confined", "forcedWorkOrDebt"] })));
    expect(text).toContain("Dikurung/disekap: pelapor tidak yakin");
    expect(text).toContain("Kerja paksa/jeratan utang: pelapor tidak yakin");
    expect(text).not.toContain("Paspor ditahan: pelapor tidak yakin");
  });

  it("gives officers the code, urgency, reasons, place, people, danger, recruiter, evidence and time in WITA", () => {
    const text = body(
      policeSummary(
        input({
          country: "Kamboja",
          city: "Sihanoukville",
          location: { latitude: -8.65, longitude: 115.2167 },
          when: "sejak 3 minggu",
          peopleCount: 4,
          minorsInvolved: "yes",
          dangerNow: "yes",
          confined: true,
          passportWithheld: true,
          recruiter: "PT Contoh Jaya, akun IG @lowongan_contoh",
          narrative: "Adik saya dikurung di gedung dan dipaksa menipu orang.",
          evidenceRefs: ["ev_secret_1", "ev_secret_2"],
        }),
      ),
    );
    expect(text).toContain(CODE);
    expect(text).toContain("KRITIS");
    expect(text).toContain("ada orang dalam bahaya sekarang");
    expect(text).toContain("dikurung, disekap atau dijaga");
    expect(text).toContain("Ditahan atau kerja paksa");
    expect(text).toContain("Sihanoukville, Kamboja");
    expect(text).toContain("-8.65000, 115.21670");
    expect(text).toContain("sejak 3 minggu");
    expect(text).toContain("Jumlah orang: 4");
    expect(text).toContain("Anak di bawah umur: ya");
    expect(text).toContain("Bahaya saat ini: ya");
    expect(text).toContain("Paspor ditahan: ya");
    expect(text).toContain("PT Contoh Jaya");
    expect(text).toContain("Bukti: 2 berkas");
    expect(text).toContain("Adik saya dikurung");
    expect(text).toContain("2025-04-07 09:30 WITA");
    expect(text).not.toContain("ev_secret");
  });

  it("offers acknowledge, claim, ask and close buttons carrying the case code", () => {
    const message = policeSummary(input({}));
    expect(message.type === "text" && message.choices?.map((c) => c.id)).toEqual([
      `off:ack:${CODE}`,
      `off:claim:${CODE}`,
      `off:ask:${CODE}`,
      `off:close:${CODE}`,
    ]);
  });

  it("says when the summary comes from a later escalation step", () => {
    expect(body(policeSummary(input({}, { tier: 1, round: 0 })))).toContain("tingkat 2, putaran 1");
    expect(body(policeSummary(input({})))).not.toContain("Eskalasi");
  });

  it("shortens a long narrative and points to the full case", () => {
    const text = body(policeSummary(input({ narrative: "kata ".repeat(3000) })));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain(`/kasus ${CODE}`);
    expect(text).toContain("[dipotong");
  });

  it("keeps any report within channel limits and free of ids (property)", () => {
    const text = (max: number) => fc.string({ maxLength: max, unit: "grapheme" });
    const reportArb = fc.record(
      {
        lang: fc.constantFrom("id" as const, "en" as const),
        situation: fc.constantFrom(...situationSchema.options),
        country: text(200),
        city: text(200),
        location: fc.record({
          latitude: fc.double({ noNaN: true, noDefaultInfinity: true }),
          longitude: fc.double({ noNaN: true, noDefaultInfinity: true }),
        }),
        when: text(500),
        departureWithin72h: fc.boolean(),
        peopleCount: fc.integer({ min: 0, max: 10000 }),
        minorsInvolved: fc.constantFrom(...yesNoUnsureSchema.options),
        dangerNow: fc.constantFrom(...yesNoUnsureSchema.options),
        confined: fc.boolean(),
        passportWithheld: fc.boolean(),
        forcedWorkOrDebt: fc.boolean(),
        narrative: text(20000),
        recruiter: text(2000),
        evidenceRefs: fc.array(fc.constantFrom("ev-ref-aaaa", "ev-ref-bbbb"), { maxLength: 20 }),
        consentContact: fc.boolean(),
        migration: fc.record({
          flags: fc.dictionary(fc.string({ maxLength: 40 }), fc.constantFrom(...yesNoUnsureSchema.options)),
          destination: text(200),
          agency: text(500),
        }),
      },
      { requiredKeys: ["lang", "situation"] },
    );
    fc.assert(
      fc.property(
        reportArb,
        fc.constantFrom("critical" as const, "high" as const, "normal" as const),
        fc.array(fc.constantFrom("danger_now", "minor_involved", "some_new_reason"), { maxLength: 5 }),
        (raw, urgency, reasons) => {
          const report = reportSchema.parse(raw);
          const message = policeSummary({
            code: CODE,
            urgency,
            reasons,
            report,
            receivedAt: new Date(0),
            evidenceCount: report.evidenceRefs.length,
          });
          if (message.type !== "text") throw new Error("expected text");
          expect(message.text.length).toBeLessThanOrEqual(4096);
          expect(message.text).not.toContain("ev-ref-");
          for (const choice of message.choices ?? []) {
            expect(choice.label.length).toBeLessThanOrEqual(20);
            expect(Buffer.byteLength(choice.id)).toBeLessThanOrEqual(64);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("contains no chat-id-like numbers when the report has none (property)", () => {
    const noDigits = fc.string({ maxLength: 300 }).map((s) => s.replace(/\d/g, ""));
    fc.assert(
      fc.property(noDigits, noDigits, noDigits, (narrative, recruiter, city) => {
        const text = body(policeSummary(input({ narrative, recruiter, city, peopleCount: 3 })));
        expect(text).not.toMatch(/\d{7,}/);
      }),
    );
  });
});

describe("caseDetailText", () => {
  it("adds status, assignee, the latest notes and questions", () => {
    const at = new Date("2025-04-07T02:00:00Z");
    const message = caseDetailText({
      ...input({}),
      status: "in_progress",
      assignee: "Petugas Contoh 1",
      notes: Array.from({ length: 5 }, (_, i) => ({ at, author: "Petugas Contoh 1", text: `catatan ${i}` })),
      questions: [
        { at, text: "Alamatnya di mana?", answer: "Jalan Contoh" },
        { at, text: "Berapa orang?" },
      ],
    });
    const text = body(message);
    expect(text).toContain("Status: sedang diproses");
    expect(text).toContain("Ditangani: Petugas Contoh 1");
    expect(text).toContain("…dan 2 lainnya.");
    expect(text).not.toContain("catatan 1");
    expect(text).toContain("catatan 4");
    expect(text).toContain("Alamatnya di mana? → Jalan Contoh");
    expect(text).toContain("Berapa orang? (belum dijawab)");
    expect(message.type === "text" && message.choices).toHaveLength(4);
  });

  it("drops the action buttons once a case is closed", () => {
    const message = caseDetailText({ ...input({}), status: "closed", outcome: "duplicate" });
    expect(body(message)).toContain("Hasil: sama dengan laporan lain");
    expect(message.type === "text" && message.choices).toBeUndefined();
  });
});

describe("closePrompt", () => {
  it("offers every outcome as a short button", () => {
    const message = closePrompt(CODE);
    const choices = message.type === "text" ? (message.choices ?? []) : [];
    expect(choices).toHaveLength(7);
    for (const c of choices) {
      expect(c.label.length).toBeLessThanOrEqual(20);
      expect(c.id.startsWith(`off:close:${CODE}:`)).toBe(true);
    }
  });
});

describe("case lists", () => {
  const item = (i: number, urgency: "critical" | "high" | "normal") => ({
    code: `TPPO-AAAA-${String.fromCharCode(65 + (i % 26)).repeat(4)}`,
    urgency,
    situation: "recruitment_fraud" as const,
    status: "received" as const,
    receivedAt: new Date(Date.UTC(2025, 3, 7, 0, i)),
  });

  it("lists the most urgent case first and says who handles each", () => {
    const text = caseListText([
      item(1, "normal"),
      { ...item(2, "critical"), assignee: "Petugas Contoh 2" },
      item(3, "high"),
    ]);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Kasus terbuka (3):");
    expect(lines[1]).toContain("KRITIS");
    expect(lines[1]).toContain("ditangani Petugas Contoh 2");
    expect(lines[2]).toContain("TINGGI");
    expect(lines[3]).toContain("belum diambil");
    expect(caseListText([])).toBe("Tidak ada kasus terbuka.");
  });

  it("cuts a long list to one message and counts the rest", () => {
    const text = caseListText(Array.from({ length: 200 }, (_, i) => item(i, "normal")));
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/…dan \d+ kasus lain\.$/);
  });

  it("writes the daily digest for an agency", () => {
    const text = digestText("BP3MI Bali", [item(1, "normal"), item(2, "normal")]);
    expect(text.split("\n")[0]).toBe("Ringkasan harian BP3MI Bali: 2 laporan biasa baru");
    expect(text).toContain("Detail dengan /kasus");
    expect(digestText("BP3MI Bali", [])).toContain("tidak ada laporan biasa baru");
    expect(
      digestText(
        "X",
        Array.from({ length: 300 }, (_, i) => item(i, "normal")),
      ).length,
    ).toBeLessThanOrEqual(4096);
  });
});

describe("reporter texts", () => {
  it("tells the reporter about a status change in their language", () => {
    expect(statusChangedText("id", "in_progress")).toBe(
      "Kabar laporan Anda: status sekarang sedang diproses.",
    );
    expect(statusChangedText("en", "closed", "departure_prevented")).toBe(
      "News about your report: its status is now closed. Outcome: the departure was stopped.",
    );
  });

  it("relays an officer's question without naming the officer", () => {
    const text = officerQuestionText("id", CODE, "Di mana lokasinya?");
    expect(text).toContain(CODE);
    expect(text).toContain("Di mana lokasinya?");
    expect(text).toContain("110");
    expect(officerQuestionText("en", CODE, "Where?")).toContain("An officer has a question");
    expect(officerQuestionText("id", CODE, "x".repeat(5000)).length).toBeLessThan(1400);
  });
});

describe("policeSummary from typed words", () => {
  it("lists which of the reporter's words raised which reason, and keeps 'not sure' as not sure", () => {
    const report = reportSchema.parse({
      lang: "id",
      situation: "other",
      dangerNow: "unsure",
      narrative: "tolong kakak sy gk boleh pulang, hp nya disita majikan",
    });
    const result = triage(report);
    const msg = policeSummary({
      code: "TPPO-7K3M-9QX2",
      urgency: result.urgency,
      reasons: result.reasons,
      report,
      receivedAt: new Date("2026-01-01T00:00:00Z"),
      evidenceCount: 0,
    });
    const text = msg.type === "text" ? msg.text : "";
    expect(result.urgency).toBe("critical");
    expect(text).toContain("Dari kata-kata pelapor:");
    expect(text).toContain("gk boleh pulang");
    expect(text).toContain("Bahaya saat ini: tidak pasti");
  });
});
