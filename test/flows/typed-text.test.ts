import { describe, expect, it } from "vitest";
import { t } from "../../src/flows/content/catalog.ts";
import { qaEntry } from "../../src/flows/qa-search.ts";
import { FlowDriver } from "../helpers/flow-driver.ts";

/** What a person types, not what they tap: the front door, routing by intent, and typed answers. */
describe("typed first contact", () => {
  it("answers a cry for help as the very first message with the numbers for Indonesia, then offers a report", () => {
    const d = new FlowDriver();
    d.text("tolong, kakak sy gk boleh pulang, hp nya disita majikan di denpasar");
    expect(d.said.indexOf(t("id", "typed.danger.indonesia"))).toBe(0);
    const [dangerLine, ...who] = t("id", "typed.intro").split("\n\n");
    expect(d.said).toContain(who.join("\n\n"));
    expect(d.said).not.toContain(dangerLine);
    expect(d.choiceIds).toEqual(["pending.story:report", "pending.story:no"]);
    d.choose("pending.story:report");
    expect(d.context.report?.narrative).toContain("gk boleh pulang");
    expect(d.context.report?.situation).toBe("held_or_forced_work");
    expect(d.context.report?.country).toBe(t("id", "report.country.indonesia"));
  });

  it("keeps a story typed in several messages whole, with the kind the first message showed", () => {
    const d = new FlowDriver();
    d.text("adik sy di malaysia gk bisa pulang paspor ditahan majikan");
    d.text("dia ga digaji 5 bulan");
    const kind = t("id", "typed.story.kind", {
      situation: t("id", "report.situation.options.held_or_forced_work"),
    });
    expect(d.said).toContain(kind.trim());
    expect(d.said).toContain(t("id", "typed.story.more", { kind }));
    d.text("gmn caranya lapor");
    expect(d.context.report?.narrative).toContain("paspor ditahan majikan");
    expect(d.context.report?.narrative).toContain("ga digaji 5 bulan");
    expect(d.context.report?.situation).toBe("held_or_forced_work");
    expect(d.context.report?.country?.toLowerCase()).toContain("malaysia");
    expect(d.said).not.toContain(t("id", "report.situation.prompt"));
  });

  it("answers a question asked after a story and still offers the report holding the story", () => {
    const d = new FlowDriver();
    d.text("adik sy di malaysia, paspornya ditahan majikan gajinya ga dibayar 5 bulan");
    d.text("apa itu tppo?");
    // The answer first, then the offer again, in the same step.
    expect(d.said.indexOf("UU 21/2007")).toBeGreaterThanOrEqual(0);
    expect(d.said.indexOf(t("id", "typed.story.still"))).toBeGreaterThan(d.said.indexOf("UU 21/2007"));
    expect(d.choiceIds).toEqual(["pending.story:report", "pending.story:no"]);
    d.text("ya");
    expect(d.context.report?.narrative).toContain("paspornya ditahan majikan");
    expect(d.context.report?.narrative).not.toContain("apa itu tppo");
    expect(d.context.report?.situation).toBe("held_or_forced_work");
  });

  it("keeps the report on offer after typed danger abroad when a question has no sure answer, with the numbers that work there", () => {
    const d = new FlowDriver();
    d.text("im in saudi, my employer took my passport and locks me in the house. what can i do");
    // Danger typed abroad: the numbers that work there come first, then the offer.
    expect(d.said.indexOf(t("en", "typed.danger.abroad"))).toBe(0);
    expect(d.choiceIds).toEqual(["pending.story:report", "pending.story:no"]);
    const offered = d.choiceIds;
    d.text("what is the number again?");
    expect(d.said).toMatch(/\+62-21-29244800/);
    expect(d.choiceIds).toEqual(offered);
    d.text("yes");
    expect(d.context.report?.narrative).toContain("locks me in the house");
    expect(d.context.report?.narrative).not.toContain("number again");
  });

  it("gives the numbers for 'darurat' typed while a report from a story is on offer, and keeps the offer", () => {
    const d = new FlowDriver();
    d.text("adik sy di malaysia, paspornya ditahan majikan gajinya ga dibayar 5 bulan");
    const offered = d.choiceIds;
    expect(offered).toEqual(["pending.story:report", "pending.story:no"]);
    d.text("darurat");
    expect(d.said).toContain("110");
    expect(d.choiceIds).toEqual(offered);
    d.text("ya");
    expect(d.context.report?.narrative).toContain("paspornya ditahan majikan");
  });

  it.each([
    ["tolong sy gk boleh pulang, paspor ditahan", "takut bgt", "id"],
    ["adik sy di malaysia, paspornya ditahan majikan gajinya ga dibayar 5 bulan", "sy bingung kak", "id"],
    ["please help, my boss locks me in the house and took my passport", "i'm so scared", "en"],
  ] as const)(
    "answers '%s' then '%s' kindly and keeps the report from those words on offer",
    (story, feeling, lang) => {
      const d = new FlowDriver();
      d.text(story);
      const offered = d.choiceIds;
      expect(offered.length).toBe(2);
      d.text(feeling);
      expect(d.said).toContain(t(lang, "typed.feeling"));
      expect(d.said).toContain(t(lang, "typed.story.next"));
      expect(d.choiceIds).toEqual(offered);
      d.choose(offered[0]!);
      expect(d.context.report?.narrative).toContain(story.split(",")[0]);
      expect(d.context.report?.narrative).not.toContain(feeling);
    },
  );

  it.each(["id", "en"] as const)(
    "answers a feeling typed at the menu kindly with the menu, not a Q&A entry (%s)",
    (lang) => {
      const d = FlowDriver.atMenu(lang);
      d.text(lang === "id" ? "😢 sy takut" : "i am so scared");
      expect(d.said).toContain(t(lang, "typed.feeling_rest"));
      expect(d.context.step).toBe("menu");
      expect(d.choiceIds).toContain("menu:report");
    },
  );

  it.each([
    ["id", "sy gk tau hrs gmn"],
    ["id", "kak bisa bantu sy gk?"],
    ["en", "i dont know what to do"],
    ["en", "hi, can you help me?"],
  ] as const)(
    "answers someone lost (%s: %j) with how to begin and the menu, not a Q&A entry",
    (lang, typed) => {
      const d = FlowDriver.atMenu(lang);
      d.text(typed);
      expect(d.said).toContain(t(lang, "typed.lost"));
      expect(d.context.step).toBe("menu");
    },
  );

  it("answers a feeling typed at a report's multiple-choice question kindly and asks it again", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:scam_compound");
    d.text("Malaysia");
    d.text("Tawau");
    d.choose("report.location:skip");
    d.choose("report.when:now");
    const step = d.context.step;
    const offered = d.choiceIds;
    d.text("takut bgt kak");
    expect(d.said).toContain(t("id", "typed.feeling"));
    expect(d.context.step).toBe(step);
    expect(d.choiceIds).toEqual(offered);
  });

  it("does not store a question, a report code or a bare 'ya' or '2' as a place, a recruiter or a job", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:held_or_forced_work");
    d.text("malaysia");
    expect(d.context.step).toBe("report.city");
    d.text("brp lama proses laporan nya kak?");
    expect(d.context.step).toBe("report.city");
    expect(d.context.report?.city).toBeUndefined();
    d.text("REF-EG4F-RQQJ");
    expect(d.context.report?.city).toBeUndefined();
    expect(d.choiceIds).toEqual(["pending.leave:yes", "pending.leave:no"]);

    const c = FlowDriver.atMenu("id");
    c.choose("menu:check");
    c.text("Dubai");
    expect(c.context.step).toBe("check.q.agency");
    for (const typed of ["ya", "2", "kalau umroh sambil kerja boleh gk?"]) {
      c.text(typed);
      expect(c.context.step).toBe("check.q.agency");
      expect(c.context.check?.answers.agency).toBeUndefined();
    }
    expect(c.said).toContain(t("id", "typed.question_later"));
    c.text("PT Maju");
    expect(c.context.check?.answers.agency).toBe("PT Maju");
  });

  it.each(["hapus chat ini", "tolong hapus semua chat sy, takut ketahuan suami"])(
    "asks to delete when '%s' is typed at a report question, instead of storing it as the answer",
    (typed) => {
      const d = FlowDriver.atMenu("id");
      d.choose("menu:report");
      d.choose("report.situation:held_or_forced_work");
      d.text("malaysia");
      d.text(typed);
      expect(d.choiceIds).toEqual(["pending.delete:yes", "pending.delete:no"]);
      expect(d.context.report?.city).toBeUndefined();
      d.choose("pending.delete:yes");
      expect(d.effects("conversation.delete")).toHaveLength(1);
    },
  );

  it("keeps a story, a feeling, confusion or 'done' typed where the country is asked out of the country", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:recruitment_fraud");
    const story =
      "teman sy ditawari kerja di kapal pesiar lewat facebook, suruh bayar 8 juta utk medical dan visa ke rekening pribadi";
    for (const typed of [story, "sy deg2an bgt kak", "ga ngerti maksudnya", "done"]) {
      d.text(typed);
      expect(d.context.step, typed).toBe("report.country");
      expect(d.context.report?.country, typed).toBeUndefined();
    }
    expect(d.context.report?.narrative).toContain("kapal pesiar");
    d.text("Desa Sukamaju, Kecamatan Kuta Selatan, Kabupaten Badung");
    expect(d.context.report?.country).toBeDefined();
  });

  it("switches to the language of a later sentence when the first was only read from text, not when picked", () => {
    const d = new FlowDriver();
    d.text("hi, can you help me?");
    expect(d.context.lang).toBe("en");
    d.text("maaf kak sy gk bisa bhs inggris, sy mau tanya soal kerja di korea");
    expect(d.context.lang).toBe("id");
    const picked = FlowDriver.atMenu("en");
    picked.text("maaf kak sy gk bisa bhs inggris, sy mau tanya soal kerja di korea");
    expect(picked.context.lang).toBe("en");
  });

  it("remembers where a story told in pieces happens, for the numbers", () => {
    const d = new FlowDriver();
    for (const piece of ["kak", "adik sy", "di malaysia"]) d.text(piece);
    d.text("gk bisa pulang, majikannya galak");
    expect(d.said).toContain(t("id", "typed.danger.abroad"));
    expect(d.said).not.toContain(t("id", "typed.danger.unknown"));
  });

  it("does not ask again what the story told, and gives the numbers once in a report", () => {
    const d = new FlowDriver();
    d.text("tolong sy di malaysia paspor sy ditahan majikan dipaksa kerja gk dibayar 5 bulan");
    d.choose("pending.story:report");
    expect(d.context.report).toMatchObject({ passportWithheld: true, forcedWorkOrDebt: true });
    d.text("johor bahru");
    d.choose("report.location:skip");
    d.choose("report.when:now");
    expect(d.said).toContain(t("id", "typed.danger.abroad"));
    d.choose("report.people:one");
    d.choose("report.minors:no");
    d.choose("report.danger:yes");
    expect(d.said).not.toContain(t("id", "typed.danger.abroad"));
    d.choose("report.confined:yes");
    expect(d.said).not.toContain(t("id", "typed.danger.abroad"));
    // Neither "is the passport held?" nor "forced to work?" is asked.
    expect(d.context.step).toBe("report.departure");
  });

  it("keeps a story typed at 'when?' in the story as well as the time", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:scam_compound");
    d.text("kamboja");
    d.text("sihanoukville");
    d.choose("report.location:skip");
    const typed = "kemarin dia telpon nangis2 katanya dipukuli sama bosnya krn target ga tercapai";
    d.text(typed);
    expect(d.context.step).toBe("report.people");
    expect(d.context.report?.when).toBe(typed);
    expect(d.context.report?.narrative).toContain(typed);
  });

  it.each([
    [
      "id",
      "ada yg nawarin kerja di thailand jd admin lewat PT Cahaya Abadi, gaji 15jt, aman ga?",
      "admin",
      "PT Cahaya Abadi",
    ],
    [
      "en",
      "I got a job offer in Japan as a factory worker from an agency called Bright Star, is it legit?",
      "factory worker",
      "Bright Star",
    ],
  ] as const)(
    "does not ask the job and the recruiter a typed offer names (%s)",
    (lang, typed, job, agency) => {
      const d = new FlowDriver();
      d.text(typed);
      expect(d.context.check?.answers).toMatchObject({ job, agency });
      expect(d.said).toContain(t(lang, "typed.known.job", { value: job }));
      expect(d.said).not.toMatch(/typed\.known/);
      expect(["check.q.job", "check.q.agency"]).not.toContain(d.context.step);
    },
  );

  it.each([
    ["how do i report", true],
    ["gimana cara lapor", true],
    ["ga ngerti cara lapornya gmn", true],
    ["i don't know how to report", true],
    ["ok laporkan aja", true],
    ["jgn lapor dulu, sy takut", false],
    ["ga usah lapor", false],
    ["belum mau lapor", false],
    ["don't report yet", false],
  ])("after a story, '%s' answers the report offer (report: %s)", (typed, reports) => {
    const d = new FlowDriver();
    d.text("adik sy di malaysia, paspornya ditahan majikan gajinya ga dibayar 5 bulan");
    expect(d.choiceIds).toContain("pending.story:report");
    d.text(typed);
    if (reports) {
      expect(d.context.report?.narrative).toContain("paspornya ditahan majikan");
      expect(d.context.step.startsWith("report.")).toBe(true);
    } else {
      expect(d.context.report).toBeNull();
      expect(d.context.pending).toBeNull();
      expect(d.context.step).toBe("menu");
    }
  });

  it("takes 'jgn lapor dulu' after typed danger as no", () => {
    const no = new FlowDriver();
    no.text("kakak sy di batam disekap majikan");
    expect(no.choiceIds).toContain("pending.story:report");
    no.text("jgn lapor dulu, sy takut");
    expect(no.context.report).toBeNull();
    expect(no.context.step).toBe("menu");
  });

  it("in the middle of a check, answers a typed question and offers a report for 'lapor aja' instead of taking either as an answer", () => {
    const d = new FlowDriver();
    d.text("cek tawaran kerja");
    const step = d.context.step;
    expect(step.startsWith("check.")).toBe(true);
    d.text("apa itu tppo");
    expect(d.said).toMatch(/UU 21\/2007/);
    expect(d.context.step).toBe(step);
    expect(d.context.check?.answers ?? {}).toEqual({});
    d.text("lapor aja");
    expect(d.context.check?.answers ?? {}).toEqual({});
    expect(d.choiceIds).toContain("pending.leave:yes");
    d.text("ya");
    expect(d.context.step.startsWith("report.")).toBe(true);
    // "lapor aja" asked for the report; it is not the story.
    expect(d.context.report?.narrative).toBe("");
  });

  it("in a check, keeps the report offer made for typed danger while a question is answered, then reports the danger words", () => {
    const d = new FlowDriver();
    d.text("cek tawaran kerja");
    d.text("ke kamboja, kerja admin online gaji 15jt");
    d.text("tolong sy udah di sini paspor diambil ga boleh keluar");
    expect(d.choiceIds).toContain("pending.danger:report");
    const answers = { ...(d.context.check?.answers ?? {}) };
    d.text("apa itu tppo");
    expect(d.said).toMatch(/UU 21\/2007/);
    expect(d.said).toContain(t("id", "typed.story.still"));
    expect(d.choiceIds).toContain("pending.danger:report");
    expect(d.context.check?.answers).toEqual(answers);
    d.text("lapor aja");
    expect(d.context.step.startsWith("report.")).toBe(true);
    expect(d.context.report?.narrative).toContain("paspor diambil");
  });

  it("takes the language from the first sentence after a bare greeting, and answers in it", () => {
    const d = new FlowDriver();
    d.text("hi");
    expect(d.context.langChosen).toBe(false);
    d.text(
      "my cousin got a job offer in taiwan from a facebook page, they want 20 million first, is it safe?",
    );
    expect(d.context.lang).toBe("en");
    expect(d.context.langChosen).toBe(true);
    d.text("what is tppo");
    expect(d.said).toContain("Law 21/2007");
    // Kept from then on: a short Indonesian word does not switch it back.
    d.text("ok");
    expect(d.context.lang).toBe("en");
  });

  it("answers 'sy harus gimana' after a story with the numbers for where it is and the report offer again", () => {
    const d = new FlowDriver();
    d.text(
      "permisi, sy istri TKI di malaysia, suami sy ga bisa dihubungi 2 minggu, hp nya katanya disita majikan",
    );
    d.text("sy harus gimana");
    expect(d.said).toContain(t("id", "typed.danger.abroad"));
    expect(d.said).toContain(t("id", "typed.story.next"));
    expect(d.choiceIds).toEqual(["pending.story:report", "pending.story:no"]);
    d.text("ya");
    expect(d.context.report?.narrative).toContain("disita majikan");
  });

  it("gives someone abroad the KP2MI line from abroad and Safe Travel, not 110, in their language", () => {
    const d = new FlowDriver();
    d.text("please help, my sister is locked in a room in Riyadh and they took her phone");
    expect(d.context.lang).toBe("en");
    const first = d.replies[0];
    expect(first && "text" in first ? first.text : "").toBe(t("en", "typed.danger.abroad"));
    expect(d.said).toContain("+62-21-29244800");
    expect(d.said).toContain("Safe Travel");
  });

  it("gives the numbers that work abroad first when the first message is about someone abroad", () => {
    const d = new FlowDriver();
    d.text(
      "hi, my cousin is working in dubai as a maid and the agency took her pasport, she wants to go home",
    );
    expect(d.said).toContain(t("en", "typed.intro_abroad"));
    expect(d.said).not.toContain(t("en", "typed.intro"));
    expect(d.said.indexOf("+62-21-29244800")).toBeLessThan(d.said.indexOf("Suara Aman"));
  });

  it("says who this is, that it is not the police, and 110 first, for a plain hello", () => {
    const d = new FlowDriver();
    d.text("halo kak");
    expect(d.state).toBe("menu");
    expect(d.said.startsWith(t("id", "typed.intro").slice(0, 30))).toBe(true);
    expect(d.said).toContain("110");
    expect(d.said).not.toContain(t("id", "typed.greeting"));
    expect(d.replies).toHaveLength(2);
    expect(d.choiceIds).toContain("menu:report");
  });

  it("answers an offer's terms typed as a story (a fee first, cut from the salary later) with the rule on fees, not a report offer", () => {
    for (const [lang, typed] of [
      ["en", "he wants 20 million first, cut from my salary later"],
      ["id", "agen minta 20 juta dulu, nanti potong gaji"],
    ] as const) {
      const d = FlowDriver.atMenu(lang);
      d.text(typed);
      expect(d.said).toContain(qaEntry(lang, "upfront_payment")!.answer);
      expect(d.choiceIds).not.toContain("pending.story:report");
    }
  });

  it("answers a wish to earn a high salary abroad with the advice on such offers, not a report offer", () => {
    const d = FlowDriver.atMenu("en");
    d.text("I want to earn 20 million per month, is that possible overseas");
    expect(d.said).toContain(qaEntry("en", "high_salary_offer")!.answer);
    expect(d.choiceIds).not.toContain("pending.story:report");
    const sister = FlowDriver.atMenu("en");
    sister.text("my sister wants a job abroad with a salary of 20 million a month in japan");
    expect(sister.state).toEqual({ check: "question" });
  });

  it("starts the status check from a typed code", () => {
    const d = new FlowDriver();
    d.text("mau cek laporan TPPO-7K3M-9QX2");
    expect(d.state).toEqual({ status: "pin" });
    expect(d.context.status?.code).toBe("TPPO-7K3M-9QX2");
    d.text("123456");
    expect(d.effects("status.lookup")).toEqual([
      { type: "status.lookup", code: "TPPO-7K3M-9QX2", pin: "123456" },
    ]);
  });

  it("checks at once a code typed with its PIN in one message, and keeps no PIN", () => {
    const d = new FlowDriver();
    d.text("cek laporan REF-7K3M-9QX2 pin 483920");
    expect(d.effects("status.lookup")).toEqual([
      { type: "status.lookup", code: "REF-7K3M-9QX2", pin: "483920" },
    ]);
    expect(d.state).toEqual({ status: "lookup" });
    expect(JSON.stringify(d.context)).not.toContain("483920");
    // Six digits inside a longer number are no PIN: the PIN is asked.
    const long = new FlowDriver();
    long.text("REF-7K3M-9QX2 no hp 08123456789");
    expect(long.state).toEqual({ status: "pin" });
  });
});

describe.each(["id", "en"] as const)("typed text at the menu (%s)", (lang) => {
  it("answers a typed question with the best entry and related ones", () => {
    const d = FlowDriver.atMenu(lang);
    d.text(lang === "id" ? "gmn cara cek agen resmi?" : "how do i know if the agency is legit");
    expect(d.state).toEqual({ qa: "answered" });
    expect(d.said).toContain("SISKOP2MI");
  });

  it("starts the offer check with what the message already tells", () => {
    const d = FlowDriver.atMenu(lang);
    d.text(
      lang === "id"
        ? "ada tawaran kerja di kamboja lewat fb, pake visa turis, aman gk?"
        : "got a job offer in cambodia through facebook on a tourist visa, is it safe?",
    );
    expect(d.state).toEqual({ check: "question" });
    expect(d.context.check?.answers).toMatchObject({ tourist_visa: "yes", social_media_offer: "yes" });
    expect(String(d.context.check?.answers.destination).toLowerCase()).toContain(
      "cambodia".slice(0, 3) === "cam" && lang === "en" ? "cambodia" : "kamboja",
    );
    expect(d.said).toContain(t(lang, "typed.check_known", { known: "" }).split(":")[0] ?? "");
  });

  it("picks a menu option from a typed key word, number or synonym", () => {
    for (const [typed, state] of [
      ["lapor", { report: "situation" }],
      ["2", { report: "situation" }],
      [lang === "id" ? "cek status" : "check status", { status: "code" }],
      ["tanya", { qa: "ask" }],
      ["cekin", { checkin: "hub" }],
      [lang === "id" ? "mau daftar cek rutin" : "check-ins", { checkin: "hub" }],
    ] as const) {
      const d = FlowDriver.atMenu(lang);
      d.text(typed);
      expect(d.state, typed).toEqual(state);
    }
  });

  it("never answers only 'please pick': gibberish gets a kind answer and the menu", () => {
    const d = FlowDriver.atMenu(lang);
    d.text("asdfgh");
    expect(d.said).toContain(t(lang, "typed.other"));
    expect(d.said).toContain(t(lang, "menu.prompt"));
  });
});

describe("typed text in the middle of a flow", () => {
  it("brings the emergency numbers in the next reply in the middle of the offer check, and keeps the check", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:check");
    d.text("Malaysia");
    d.text("tolong adik sy dikurung agen di johor, gk boleh keluar");
    expect(d.said.indexOf(t("id", "typed.danger.abroad"))).toBe(0);
    expect(d.choiceIds).toEqual(["pending.danger:report", "pending.danger:continue"]);
    expect(d.state).toEqual({ check: "question" });
    d.choose("pending.danger:continue");
    expect(d.context.check?.answers.destination).toBe("Malaysia");
    expect(d.state).toEqual({ check: "question" });
  });

  it("gives the numbers for Indonesia and abroad for danger typed about someone else after the writer's own offer", () => {
    const d = new FlowDriver();
    d.text("sy mau kerja ke malaysia jd pembantu, gaji 6 jt katanya");
    expect(d.context.where).toBe("indonesia");
    d.text("tolong adik sy dikurung majikan gk bs keluar");
    expect(d.said.indexOf(t("id", "typed.danger.unknown"))).toBe(0);
    expect(d.said).not.toContain(t("id", "typed.danger.indonesia"));
    expect(d.state).toEqual({ check: "question" });
    // The writer's own danger keeps the writer's place.
    const own = new FlowDriver();
    own.text("sy mau kerja ke malaysia jd pembantu, gaji 6 jt katanya");
    own.text("tolong sy dikurung agen gk bs keluar");
    expect(own.said.indexOf(t("id", "typed.danger.indonesia"))).toBe(0);
  });

  it("turns danger typed in a check into a report holding the words", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:check");
    d.text("tolong kakak sy disekap di kamboja");
    d.text("ya");
    expect(d.state).not.toEqual({ check: "question" });
    expect(d.context.report?.narrative).toBe("tolong kakak sy disekap di kamboja");
    expect(d.context.report?.country).toBe("Kamboja");
  });

  it("uses a story typed at 'what happened?' as the kind and the description, and asks the next question", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.text("adik sy dipaksa nipu orang online di kantor, paspornya ditahan");
    expect(d.context.report?.situation).toBe("scam_compound");
    expect(d.context.report?.narrative).toBe(
      "adik sy dipaksa nipu orang online di kantor, paspornya ditahan",
    );
    expect(d.state).toEqual({ report: "country" });
  });

  it("reads everyday yes and no at a yes/no question, keeping the extra words in the story", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    for (const id of [
      "report.situation:other",
      "report.country:indonesia",
      "report.city:skip",
      "report.location:skip",
      "report.when:week",
      "report.people:one",
    ]) {
      d.choose(id);
    }
    d.text("gak");
    expect(d.context.report?.minorsInvolved).toBe("no");
    d.text("iya, dia dijaga terus sama bos nya");
    expect(d.context.report?.dangerNow).toBe("yes");
    expect(d.context.report?.narrative).toContain("dijaga terus");
    expect(d.said).toContain("110");
  });

  it("answers a typed question inline without leaving the report", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.choose("report.country:indonesia");
    d.choose("report.city:skip");
    d.choose("report.location:skip");
    d.choose("report.when:week");
    d.text("apakah laporan ini anonim?");
    expect(d.state).toEqual({ report: "people" });
    expect(d.said).toContain(t("id", "report.people.prompt"));
  });

  it("asks before switching from a report to a status check typed as a code", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.choose("report.situation:other");
    d.choose("report.country:indonesia");
    d.choose("report.city:skip");
    d.choose("report.location:skip");
    d.choose("report.when:week");
    d.text("TPPO-7K3M-9QX2");
    expect(d.choiceIds).toEqual(["pending.leave:yes", "pending.leave:no"]);
    d.text("ya");
    expect(d.state).toEqual({ status: "pin" });
    expect(d.context.paused?.report?.situation).toBe("other");
  });

  it("shows the current question again when the session resumes", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:report");
    d.send({ type: "session.resumed" });
    expect(d.said).toContain(t("id", "report.situation.prompt"));
  });
});

describe("weak Q&A matches", () => {
  it("asks 'did you mean…?' with the two best titles instead of answering a weak match", () => {
    const d = FlowDriver.atMenu("id");
    d.choose("menu:qa");
    d.text("kapal");
    expect(d.context.qa?.guess).toBe(true);
    expect(d.said).toContain(t("id", "typed.did_you_mean"));
    expect(d.choiceIds.filter((id) => id.startsWith("qa.answered:r"))).toHaveLength(2);
    d.choose("qa.answered:r0");
    expect(d.said.length).toBeGreaterThan(100);
  });
});
