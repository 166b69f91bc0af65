import { describe, expect, it } from "vitest";
import { normalise } from "../../../src/flows/understand/normalise.ts";
import { countIn } from "../../../src/flows/understand/numbers.ts";
import { findAll } from "../../../src/flows/understand/phrases.ts";
import { findCode, has, typedRedFlags, understand } from "../../../src/flows/understand/understand.ts";

// Messages people testing the bot found misread, and what they mean.
const kinds = (text: string) => understand(text).signals.map((s) => s.kind);

describe("a negator inside a gapped phrase", () => {
  it.each([
    ["hp sy gak disita kok kak, sy cuma mau tanya soal kerja di jepang", "danger_now"],
    ["agen bilang paspor tidak ditahan, gaji 8 juta di taiwan, aman ga kak?", "passport_held"],
    ["paspor sy gak ditahan, cuma gaji blm dibayar 3 bulan sama majikan di malaysia", "passport_held"],
    ["hp sy tidak pernah di sita", "danger_now"],
    ["my passport was not taken, it is with me", "passport_held"],
    ["paspor sy nggak pernah dipegang agen", "passport_held"],
  ])("denies the signal in %j", (text, kind) => {
    expect(kinds(text)).not.toContain(kind);
  });

  it("keeps the other signals of a message with a denial", () => {
    const u = understand("paspor sy gak ditahan, cuma gaji blm dibayar 3 bulan sama majikan di malaysia");
    expect(u.signals.map((s) => s.kind)).toEqual(["unpaid_wages"]);
    expect(u.intent).toBe("report");
    expect(understand("hp sy gak disita kok kak, sy cuma mau tanya soal kerja di jepang").intent).not.toBe(
      "report",
    );
  });

  it.each([
    ["paspor sy ditahan, gk boleh pulang", ["danger_now", "passport_held"]],
    ["paspor sy ditahan gk boleh pulang", ["danger_now", "passport_held"]],
    ["paspor sy gk tau kenapa ditahan agen", ["passport_held"]],
    ["hp sy ga bisa dipake krn disita majikan", ["danger_now"]],
    ["paspor nya ga dikembalikan malah ditahan", ["passport_held"]],
  ])("keeps a negator that belongs to another word: %j", (text, expected) => {
    for (const kind of expected) expect(kinds(text)).toContain(kind);
  });

  it("does not let a denied first mention hide a later one", () => {
    expect(kinds("hp sy tidak disita, tp paspor sy ditahan majikan dan hp adik sy disita")).toEqual([
      "danger_now",
      "passport_held",
    ]);
  });

  it("records the words a gap skipped", () => {
    const [hit] = findAll(normalise("paspor sy gak ditahan"), ["paspor ~ ditahan"]);
    expect(hit?.gaps).toEqual([[1, 2]]);
  });
});

describe("things sold are not people sold", () => {
  it.each([
    "rumahnya dijual",
    "rumah tetangga dijual, katanya buat bayar agen",
    "tanah sdh dijual utk biaya berangkat",
    "we sold our land to pay the agent",
  ])("reads no danger in %j", (text) => {
    expect(kinds(text)).not.toContain("danger_now");
  });

  it.each([
    "adik sy dijual ke majikan lain",
    "adik sy dibawa ke rumah bos lalu dijual",
    "they sold my sister to another company",
  ])("still reads a person sold in %j", (text) => {
    expect(kinds(text)).toContain("danger_now");
  });
});

describe("a common word is no typo of another", () => {
  it("does not read 'brother' as 'brothel'", () => {
    const u = understand("my brother is in Cambodia and they took his passport");
    expect(u.situation).toBe("held_or_forced_work");
    expect(u.where).toBe("abroad");
  });

  it("does not read 'pegang' (to hold) as Penang", () => {
    const u = understand("agen mau pegang paspor sy");
    expect(u.destination).toBeUndefined();
    expect(u.place).toBeUndefined();
  });

  it.each([
    ["no contract yet, is it ok?", "danger_now"],
    ["gajinya kurang dari yg dijanjikan", "danger_now"],
    ["urgent hiring girls for a spa in kuala lumpur", "danger_now"],
    ["i am looking for work in malaysia", "danger_now"],
    ["sudah selama 3 bulan disekap", "none"],
  ])("reads %j without %s", (text, kind) => {
    expect(kinds(text)).not.toContain(kind);
  });

  it("reads 'selama' (for) as no 'selamat' (safe): the danger stays now", () => {
    expect(kinds("sudah selama 3 bulan disekap di mess")).toContain("danger_now");
    expect(understand("magang ke jepang aman ga").place).toBeUndefined();
  });

  it("still forgives a typo in a word that is no other word", () => {
    expect(kinds("adik sy dikurumg majikan")).toContain("danger_now");
    expect(understand("sy di kmboja skrg, tolong").where).toBe("abroad");
    expect(has(understand("pasport sy ditahn agen"), "passport_held")).toBe(true);
  });
});

describe("a greeting before a cry for help", () => {
  it.each([
    ["halo kak, sy terjebak di malaysia", "abroad"],
    ["Hello, I am stuck in Malaysia", "abroad"],
    [
      "Hello, my sister went to Malaysia to work as a maid and now she cannot contact us, the agent does not answer",
      "abroad",
    ],
    ["halo kak, adik sy gk bisa dihubungi sejak ke saudi", "abroad"],
    ["selamat pagi, kakak sy hilang kontak 2 minggu", "unknown"],
    ["hi, we lost contact with my brother in dubai", "abroad"],
  ])("reads %j as a report of danger, %s", (text, where) => {
    const u = understand(text);
    expect(u.intent).toBe("report");
    expect(has(u, "danger_now")).toBe(true);
    expect(u.where).toBe(where);
  });

  it("does not take being stuck in traffic or in debt, or an agent out of reach, for danger", () => {
    expect(kinds("maaf telat balas, terjebak macet")).not.toContain("danger_now");
    expect(kinds("agen tidak bisa dihubungi, uang 20jt hilang")).not.toContain("danger_now");
    expect(kinds("sy terjebak utang ke agen, gaji dipotong terus")).toContain("forced_work");
  });
});

describe("a long message", () => {
  const story =
    "kak sy mau cerita panjang, dulu sy berangkat dari bali lewat agen yg dikenal di facebook, katanya kerja di restoran gaji 12 juta. ";
  const long = (n: number) => `${story.repeat(Math.ceil(n / story.length)).slice(0, n)}`;
  const end = " skrg sy di sini paspor diambil bos dan sy dikunci di mess, tolong sy kak.";

  it("is read to its end, up to Telegram's 4,096 characters", () => {
    const text = long(4096 - end.length) + end;
    expect(text.length).toBe(4096);
    const u = understand(text);
    expect(has(u, "danger_now")).toBe(true);
    expect(has(u, "passport_held")).toBe(true);
  });

  it("longer still, is read at its start and its end", () => {
    expect(has(understand(`tolong adik sy dikurung. ${long(10000)}`), "danger_now")).toBe(true);
    expect(has(understand(long(10000) + end), "danger_now")).toBe(true);
  });
});

describe("a visit visa for work", () => {
  it.each([
    "agen bilang pake visa ziarah dulu, nanti diganti di saudi",
    "kerja di saudi pakai visa kunjungan, aman?",
    "berangkatnya pakai visa umroh tp kerja jd ART",
    "they send me on a visit visa to dubai",
  ])("is the tourist-visa red flag in %j", (text) => {
    expect(typedRedFlags(text).map((f) => f.flag)).toContain("tourist_visa");
  });

  it("is not when denied", () => {
    expect(typedRedFlags("bukan visa ziarah, visa kerja resmi").map((f) => f.flag)).not.toContain(
      "tourist_visa",
    );
  });
});

describe("a report code typed without dashes", () => {
  it.each([
    ["REF3U7AAYED", "REF3U7AAYED"],
    ["ref3u7aayed", "ref3u7aayed"],
    ["ref 3u7a ayed", "ref 3u7a ayed"],
    ["cek status ref 3u7aayed ya kak", "ref 3u7aayed"],
    ["kode sy: REF. 3U7A AYED", "REF. 3U7A AYED"],
    ["TPPO7K3M9QX2", "TPPO7K3M9QX2"],
    ["REFEKAVFCFW", "REFEKAVFCFW"],
    ["refreshment dulu, kode sy 7K3M-9QX2", "7K3M-9QX2"],
  ])("finds %j", (text, code) => {
    expect(findCode(text)).toBe(code);
    expect(understand(text).intent).toBe("status");
  });

  it("does not take a word glued to 'ref' for a code of letters only", () => {
    expect(findCode("refreshment")).toBeUndefined();
    expect(findCode("refekavfcfw")).toBeUndefined();
    expect(findCode("KLG7K3M9QX2")).toBeUndefined();
  });
});

describe("a number of people", () => {
  it.each([
    ["lebih dr 5", 5],
    ["lebih dari 10 orang", 10],
    ["more than 5", 5],
    ["over 20 people", 20],
    ["> 5", 5],
    ["10+", 10],
    ["hampir 10", 10],
    ["sekitar 20", 20],
    ["kira2 lima belas org", 15],
  ])("reads %j as %i", (text, n) => {
    expect(countIn(text)).toBe(n);
  });

  it("reads no count from a range or from no number", () => {
    expect(countIn("2 sampai 5")).toBeUndefined();
    expect(countIn("banyak")).toBeUndefined();
  });
});
