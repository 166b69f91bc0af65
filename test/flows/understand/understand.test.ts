import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchChoice } from "../../../src/flows/understand/choice-match.ts";
import { normalise } from "../../../src/flows/understand/normalise.ts";
import { withinOneEdit } from "../../../src/flows/understand/phrases.ts";
import { findCode, has, typedRedFlags, understand } from "../../../src/flows/understand/understand.ts";

const kinds = (text: string) => understand(text).signals.map((s) => s.kind);

describe("normalise", () => {
  it("expands chat spelling, cuts repeated letters and reads numbers written as words", () => {
    const forms = normalise("tolonggg sy gk blm udh bs, umur lima belas taun").map((t) => t.forms[0]);
    expect(forms).toEqual(["tolong", "saya", "tidak", "belum", "sudah", "bisa", "umur", "15", "tahun"]);
  });

  it("splits glued units and doubles 'anak2'", () => {
    expect(normalise("15thn anak2").map((t) => t.forms[0])).toEqual(["15", "tahun", "anak", "anak"]);
  });

  it("keeps the words as typed for officers", () => {
    expect(normalise("HP-nya disita!").map((t) => t.raw)).toEqual(["hp", "nya", "disita"]);
  });
});

describe("signals", () => {
  it.each([
    "tolong, kakak sy gk boleh pulang, hp nya disita",
    "adik saya dikurung di mess",
    "my sister is locked in a room and they took her phone",
    "di kurung di lantai 5 tolongg",
    "majikan ngancem mau bunuh kalo sy kabur",
    "we are guarded and cannot leave the compound",
    "adik sy dikurumg majikan", // typo
    "im in saudi, my employer took my passport and locks me in the house",
    "they keep locking me in",
    "he doesnt let me leave the house",
    "they keep her inside the house",
    "i am not allowed outside",
  ])("reads danger now in %j", (text) => {
    expect(kinds(text)).toContain("danger_now");
  });

  it.each([
    "tidak dikurung kok",
    "gak diancam sih, cuma gaji telat",
    "not locked in, phone is with me",
    "dulu pernah disekap tp skrg udh pulang",
    "kalau dikurung majikan harus gimana?",
    "i keep my passport inside my bag",
  ])("does not read danger now in %j", (text) => {
    expect(kinds(text)).not.toContain("danger_now");
  });

  it.each([
    ["adik sy umur 15 kerja di kuta", "child"],
    ["keponakan masih SMP dibawa ke Jakarta", "child"],
    ["she is only sixteen", "child"],
    ["paspor sy ditahan agen", "passport_held"],
    ["they took my passport at the airport", "passport_held"],
    ["dipaksa nipu orang online tiap hari", "forced_work"],
    ["gaji 3 bulan gk dibayar", "unpaid_wages"],
    ["berangkat besok lewat bangkok", "departure_soon"],
    ["udah di bandara", "departure_soon"],
  ])("reads %j as %s", (text, kind) => {
    expect(kinds(text)).toContain(kind);
  });

  it("does not take a duration or an adult for a child", () => {
    expect(kinds("sudah kerja 5 tahun di malaysia")).not.toContain("child");
    expect(kinds("anak saya umur 25 kerja di dubai")).not.toContain("child");
    expect(kinds("anak buah kapal gajinya telat")).not.toContain("child");
  });

  it("takes a signal back when the words say so", () => {
    expect(kinds("paspor sy udh dibalikin sm majikan")).not.toContain("passport_held");
  });

  it("negates only with a negator word: 'sama' (with) and 'pernah' (ever) do not deny what follows", () => {
    const flags = (text: string) => typedRedFlags(text).map((f) => f.flag);
    expect(flags("ditawari kerja di kapal ikan taiwan sama calo kampung")).toContain("unlicensed");
    expect(flags("bukan lewat calo, agennya resmi")).not.toContain("unlicensed");
    expect(flags("sama sekali tidak pakai calo")).not.toContain("unlicensed");
  });

  it("does not read a fee charged 'for the visa' as a tourist visa ('charge' is one letter from 'change')", () => {
    const flags = (text: string) => typedRedFlags(text).map((f) => f.flag);
    expect(flags("they charge 40 million for the visa")).toEqual(["fees_debt"]);
    expect(flags("agent say change visa there")).toContain("tourist_visa");
    expect(flags("we will change your visa there")).toContain("tourist_visa");
  });

  it("names the words behind each signal", () => {
    const u = understand("tolong adik sy dikurung, paspornya ditahan agen");
    expect(u.signals.find((s) => s.kind === "danger_now")?.words).toContain("dikurung");
    expect(u.signals.find((s) => s.kind === "passport_held")?.words).toContain("paspornya");
  });
});

describe("where", () => {
  it.each([
    ["adik sy disekap di Myawaddy", "abroad"],
    ["I'm stuck in Sihanoukville, please help", "abroad"],
    ["kakak di kuala lumpur paspornya ditahan", "abroad"],
    ["sy di riyadh, majikan galak", "abroad"],
    ["sy masih di denpasar, belum berangkat", "indonesia"],
    ["sudah di bandara ngurah rai", "indonesia"],
    ["ada tawaran kerja di jepang, aman gk?", "indonesia"],
    ["dulu di kamboja tp skrg udh pulang ke bali", "indonesia"],
    ["tolong saya", "unknown"],
  ])("reads %j as %s", (text, where) => {
    expect(understand(text).where).toBe(where);
  });
});

describe("about someone else", () => {
  it.each([
    ["tolong adik sy dikurung majikan gk bs keluar", true],
    ["adikku disekap", true],
    ["suaminya dipukuli majikan", true],
    ["temen gw hpnya disita", true],
    ["my sister is locked in, help", true],
    ["bu, anak saya gk bisa pulang", true],
    ["kak tolong sy dikurung", false],
    ["saya dikurung majikan", false],
    ["ibu, saya takut", false],
  ])("reads %j as about someone else: %s", (text, other) => {
    expect(understand(text).aboutOther === true).toBe(other);
  });
});

describe("intent", () => {
  it.each([
    ["tolong kakak sy gk boleh pulang", "report"],
    ["mau lapor agen nipu", "report"],
    ["ada tawaran kerja di kamboja gaji 15jt aman gk?", "check"],
    ["my cousin got an offer as a waitress in dubai via facebook, legit?", "check"],
    ["ada yg nawarin kerja jd ART di hongkong, katanya gratis, tp harus berangkat minggu depan", "check"],
    ["berapa biaya resmi ke taiwan?", "question"],
    ["kalo sy lapor nanti ketahuan ga sama agennya?", "question"],
    ["tppo 7k3m 9qx2", "status"],
    ["nomor polisi brp", "emergency"],
    ["hapus chat ini", "delete"],
    ["halo kak", "greeting"],
    ["makasih ya", "thanks"],
    ["asdfgh", "other"],
  ])("reads %j as %s", (text, intent) => {
    expect(understand(text).intent).toBe(intent);
  });

  it("gives a confidence between 0 and 1", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        const u = understand(text);
        expect(u.confidence).toBeGreaterThanOrEqual(0);
        expect(u.confidence).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe("language", () => {
  it("tells Indonesian from English", () => {
    expect(understand("tolong adik saya tidak boleh pulang").lang).toBe("id");
    expect(understand("please help my sister, they took her passport").lang).toBe("en");
  });
});

describe("findCode", () => {
  it("finds a code written any way and ignores plain words", () => {
    expect(findCode("cek TPPO-7K3M-9QX2 dong")).toBe("TPPO-7K3M-9QX2");
    expect(findCode("kode sy 7k3m 9qx2")).toBe("7k3m 9qx2");
    expect(findCode("tolong bantu saya")).toBeUndefined();
  });

  it("finds a code of letters only when its prefix is there, but not two plain words without one", () => {
    // About one issued code in eleven has no digit: the prefix is what marks it.
    expect(findCode("REF-EKAV-FCFW")).toBe("REF-EKAV-FCFW");
    expect(findCode("kode saya ref ekav fcfw")).toBe("ref ekav fcfw");
    expect(findCode("TPPO-WXYZ-ABCD")).toBe("TPPO-WXYZ-ABCD");
    expect(findCode("mana bisa")).toBeUndefined();
    expect(findCode("EKAV-FCFW")).toBeUndefined();
    // A family code is for check-ins, not a report.
    expect(findCode("adik sy kasih kode KLG-7K3M-9QX2")).toBeUndefined();
  });
});

describe("withinOneEdit", () => {
  it("forgives one insertion, deletion, substitution or swap", () => {
    expect(withinOneEdit("kamboja", "kmboja")).toBe(true);
    expect(withinOneEdit("dikurung", "dikurumg")).toBe(true);
    expect(withinOneEdit("paspor", "pasopr")).toBe(true);
    expect(withinOneEdit("paspor", "pas")).toBe(false);
  });
});

describe("understand on any text", () => {
  it("never throws, and reads the start of a very long text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 4000 }), (text) => void understand(text)));
    const long = `tolong adik saya dikurung di malaysia ${"bla ".repeat(1000)}`;
    expect(has(understand(long), "danger_now")).toBe(true);
  });
});

describe("matchChoice", () => {
  const menu = [
    { value: "check", label: "Cek tawaran kerja" },
    { value: "report", label: "Lapor (anonim)" },
    { value: "qa", label: "Tanya jawab" },
    { value: "status", label: "Cek status laporan" },
  ];
  const ynu = [
    { value: "yes", label: "Ya" },
    { value: "no", label: "Tidak" },
    { value: "unsure", label: "Tidak yakin" },
  ];

  it("picks an option by number, key word or synonym, and yes/no in everyday forms", () => {
    expect(matchChoice("2", menu)).toBe("report");
    expect(matchChoice("lapor", menu)).toBe("report");
    expect(matchChoice("cek status", menu)).toBe("status");
    expect(matchChoice("cek", menu)).toBeUndefined();
    for (const yes of ["iya", "yoi", "ya, 15 juta", "iya dia dijaga terus sama bos nya sejak kemarin"]) {
      expect(matchChoice(yes, ynu), yes).toBe("yes");
    }
    for (const no of ["gak", "tdk", "nope", "belum"]) expect(matchChoice(no, ynu), no).toBe("no");
    for (const unsure of ["gak tau", "gatau", "ga yakin", "not sure", "mungkin"]) {
      expect(matchChoice(unsure, ynu), unsure).toBe("unsure");
    }
  });

  it("takes an option's number in words, and a bare yes as 'send' at the review", () => {
    for (const [typed, value] of [
      ["dua", "report"],
      ["empat", "status"],
      ["nomor 2", "report"],
      ["pilih yg 3", "qa"],
    ] as const) {
      expect(matchChoice(typed, menu), typed).toBe(value);
    }
    expect(matchChoice("tiga bulan lalu", menu)).toBeUndefined();
    const review = [
      { value: "confirm", label: "Kirim laporan" },
      { value: "edit_story", label: "Ubah cerita" },
      { value: "cancel", label: "Batal" },
    ];
    for (const yes of ["y", "ya", "iya kirim"]) expect(matchChoice(yes, review), yes).toBe("confirm");
    expect(matchChoice("ya, tapi ubah cerita", review)).not.toBe("confirm");
  });

  it("takes 'skip' as 'not sure' where a question offers no Skip", () => {
    for (const skip of ["skip", "lewati", "lanjut aja", "next"])
      expect(matchChoice(skip, ynu), skip).toBe("unsure");
    const withSkip = [...ynu, { value: "skip", label: "Lewati" }];
    expect(matchChoice("skip", withSkip)).toBe("skip");
    expect(matchChoice("skip", ynu.slice(0, 2))).toBeUndefined();
  });

  it("does not read a long message that happens to contain a key word as an option", () => {
    expect(
      matchChoice(
        "kak sy mau tanya, adik sy ditawarin kerja di kamboja jd admin gaji 15jt, aman ga ya",
        menu,
      ),
    ).toBeUndefined();
  });
});
