import { describe, expect, it } from "vitest";
import { jobIn, recruiterIn } from "../../../src/flows/understand/named.ts";

describe("the recruiter a story names", () => {
  it.each([
    ["adik sy dibawa PT Maju Jaya Sejahtera ke malaysia, paspornya ditahan", "PT Maju Jaya Sejahtera"],
    ["sy daftar lewat pt. sinar abadi di denpasar", "PT Sinar Abadi"],
    ["dibawa sama PT. BINA KARYA MANDIRI.", "PT BINA KARYA MANDIRI"],
    ["lewat LPK Hikari yg di tabanan", "LPK Hikari"],
    ["agennya namanya pak wayan, dia janji gaji 10jt", "Pak Wayan"],
    ["calo bernama Budi minta uang 5 juta", "Budi"],
    ["calo namanya ibu sari, dia bilang aman", "Ibu Sari"],
    ["sponsornya namanya Mr. Lee", "Mr. Lee"],
    ["agennya teman fb sy namanya Rina, dia minta 5jt", "Rina"],
    ["an agency called Bright Star Manpower took my passport", "Bright Star Manpower"],
    ["recruiter named Mrs. Tan from Singapore", "Mrs. Tan"],
  ])("reads %j as %j", (story, name) => {
    expect(recruiterIn(story)).toBe(name);
  });

  it.each([
    "the agent kept my passport",
    "sy di kamboja, agen bilang kerja admin",
    "PT nya ga tau namanya",
    "kerja di PT, gaji ga dibayar",
    "agen nya bernama pak. ",
    "lewat pt abal abal",
    "the company is in Dubai",
    "agen bilang kerjanya enak, namanya juga kerja",
  ])("finds no name in %j", (story) => {
    expect(recruiterIn(story)).toBeUndefined();
  });
});

describe("the job an offer names", () => {
  it.each([
    ["ada yg nawarin kerja di thailand jd admin, gaji 15jt, aman ga?", "admin"],
    ["I got a job offer in Japan as a factory worker, is it legit", "factory worker"],
    ["a job offer in Japan as a factory worker through PT Maju Jaya", "factory worker"],
    ["kerja jadi ART di malaysia", "ART"],
    ["sy ditawari kerja sebagai perawat lansia di jepang", "perawat lansia"],
    ["kerja di kapal jadi abk gaji 20jt", "abk"],
    ["my cousin got an offer to work in a factory in taiwan", "factory"],
    ["ada lowongan kerja di pabrik di malaysia", "pabrik"],
  ])("reads %j as %j", (offer, job) => {
    expect(jobIn(offer)).toBe(job);
  });

  it.each(["jadi gimana kak", "kerja ke taiwan jadi", "sy jadi takut"])("finds no job in %j", (text) => {
    expect(jobIn(text)).toBeUndefined();
  });
});
