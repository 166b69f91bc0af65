import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { officerButtonId, parseOfficerCommand } from "../../../src/bot/officers/officer-commands.ts";

const CODE = "TPPO-7K3M-9QX2";

describe("parseOfficerCommand", () => {
  it("lists open cases with /kasus and its alias /cases, with or without @botname", () => {
    expect(parseOfficerCommand("/kasus")).toEqual({ type: "list" });
    expect(parseOfficerCommand("/cases")).toEqual({ type: "list" });
    expect(parseOfficerCommand("/kasus@SuaraAmanBot")).toEqual({ type: "list" });
    expect(parseOfficerCommand("  /KASUS  ")).toEqual({ type: "list" });
  });

  it("shows a case with /kasus <code>, tolerating a loosely typed code", () => {
    expect(parseOfficerCommand(`/kasus ${CODE}`)).toEqual({ type: "detail", code: CODE });
    expect(parseOfficerCommand("/kasus tppo 7k3m 9qx2")).toEqual({ type: "detail", code: CODE });
    // Without a prefix a code is a current one; old TPPO codes are typed with theirs.
    expect(parseOfficerCommand("/kasus 7k3m9qx2")).toEqual({ type: "detail", code: "REF-7K3M-9QX2" });
    expect(parseOfficerCommand("/kasus ref 7k3m 9qx2")).toEqual({ type: "detail", code: "REF-7K3M-9QX2" });
  });

  it("claims and acknowledges", () => {
    expect(parseOfficerCommand(`/klaim ${CODE}`)).toEqual({ type: "claim", code: CODE });
    expect(parseOfficerCommand(`/ack ${CODE}`)).toEqual({ type: "ack", code: CODE });
  });

  it("adds a note, keeping its line breaks", () => {
    expect(parseOfficerCommand(`/catat ${CODE} sudah cek lokasi\nbesok koordinasi`)).toEqual({
      type: "note",
      code: CODE,
      note: "sudah cek lokasi\nbesok koordinasi",
    });
    expect(parseOfficerCommand("/catat tppo 7k3m 9qx2 ok")).toEqual({ type: "note", code: CODE, note: "ok" });
  });

  it("changes status in English or Indonesian words, with an outcome only when closing", () => {
    expect(parseOfficerCommand(`/status ${CODE} in_progress`)).toEqual({
      type: "status",
      code: CODE,
      status: "in_progress",
    });
    expect(parseOfficerCommand(`/status ${CODE} dirujuk`)).toEqual({
      type: "status",
      code: CODE,
      status: "referred",
    });
    expect(parseOfficerCommand(`/status ${CODE} closed departure_prevented`)).toEqual({
      type: "status",
      code: CODE,
      status: "closed",
      outcome: "departure_prevented",
    });
    expect(parseOfficerCommand(`/status ${CODE} referred duplicate`)).toEqual({
      type: "usage",
      command: "status",
    });
    expect(parseOfficerCommand(`/status ${CODE} closed John Doe ditangkap`)).toEqual({
      type: "usage",
      command: "status",
    });
  });

  it("relays a question to the reporter with /tanya", () => {
    expect(parseOfficerCommand(`/tanya ${CODE} Di mana alamat penampungannya?`)).toEqual({
      type: "ask",
      code: CODE,
      question: "Di mana alamat penampungannya?",
    });
    expect(parseOfficerCommand(`/tanya ${CODE} ${"x".repeat(1001)}`)).toEqual({
      type: "usage",
      command: "ask",
    });
  });

  it("registers with a one-time invite code", () => {
    expect(parseOfficerCommand("/daftar AbC123-xyz")).toEqual({ type: "register", invite: "AbC123-xyz" });
    expect(parseOfficerCommand("/daftar")).toEqual({ type: "usage", command: "register" });
    expect(parseOfficerCommand("/daftar a b")).toEqual({ type: "usage", command: "register" });
  });

  it("answers malformed officer commands with their usage", () => {
    expect(parseOfficerCommand("/klaim")).toEqual({ type: "usage", command: "claim" });
    expect(parseOfficerCommand("/klaim TPPO-0000-0000")).toEqual({ type: "usage", command: "claim" });
    expect(parseOfficerCommand(`/klaim ${CODE} extra`)).toEqual({ type: "usage", command: "claim" });
    expect(parseOfficerCommand(`/catat ${CODE}`)).toEqual({ type: "usage", command: "note" });
    expect(parseOfficerCommand(`/status ${CODE} done`)).toEqual({ type: "usage", command: "status" });
    expect(parseOfficerCommand("/kasus bukan-kode")).toEqual({ type: "usage", command: "list" });
  });

  it("ignores text that is not an officer command", () => {
    expect(parseOfficerCommand("halo")).toBeUndefined();
    expect(parseOfficerCommand("/start")).toBeUndefined();
    expect(parseOfficerCommand("/hapus")).toBeUndefined();
    expect(parseOfficerCommand("kasus TPPO-7K3M-9QX2")).toBeUndefined();
  });

  it("reads the summary buttons", () => {
    expect(parseOfficerCommand(`off:ack:${CODE}`)).toEqual({ type: "ack", code: CODE });
    expect(parseOfficerCommand(`off:claim:${CODE}`)).toEqual({ type: "claim", code: CODE });
    expect(parseOfficerCommand(`off:ask:${CODE}`)).toEqual({ type: "ask", code: CODE });
    expect(parseOfficerCommand(`off:close:${CODE}`)).toEqual({ type: "close", code: CODE });
    expect(parseOfficerCommand(`off:close:${CODE}:victim_assisted`)).toEqual({
      type: "close",
      code: CODE,
      outcome: "victim_assisted",
    });
    expect(parseOfficerCommand(`off:nuke:${CODE}`)).toBeUndefined();
    expect(parseOfficerCommand(`off:ack:${CODE}:duplicate`)).toBeUndefined();
    expect(parseOfficerCommand("off:ack:TPPO-0000-0000")).toBeUndefined();
  });

  it("round-trips every button id it makes, each within 64 bytes", () => {
    for (const action of ["ack", "claim", "ask", "close"] as const) {
      const id = officerButtonId(action, CODE);
      expect(Buffer.byteLength(id)).toBeLessThanOrEqual(64);
      expect(parseOfficerCommand(id)).toMatchObject({ code: CODE });
    }
    const close = officerButtonId("close", CODE, "insufficient_info");
    expect(Buffer.byteLength(close)).toBeLessThanOrEqual(64);
    expect(parseOfficerCommand(close)).toEqual({ type: "close", code: CODE, outcome: "insufficient_info" });
  });

  it("never throws, whatever the input (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ maxLength: 50 }).map((s) => `/${s}`),
        ),
        (s) => {
          const parsed = parseOfficerCommand(s);
          if (parsed && "code" in parsed) expect(parsed.code).toMatch(/^(REF|TPPO)-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
        },
      ),
    );
  });
});
