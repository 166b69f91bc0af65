import { describe, expect, it } from "vitest";
import { recruiterIn } from "../../../src/flows/understand/recruiter.ts";

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
  ])("finds no name in %j", (story) => {
    expect(recruiterIn(story)).toBeUndefined();
  });
});
