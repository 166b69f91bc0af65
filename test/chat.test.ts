import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHAT = join(import.meta.dirname, "../src/chat.ts");

/** Runs `npm run chat` with the given lines on stdin; resolves with everything it printed. */
function chat(dbDir: string, lines: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHAT], {
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: `pglite:${dbDir}` },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += String(d);
    });
    child.stderr.on("data", (d) => {
      out += String(d);
    });
    child.stdin.end(`${lines.join("\n")}\n`);
    child.once("exit", (code) => resolve({ code, out }));
  });
}

describe("npm run chat", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-chat-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("numbers the choices, accepts a number, and resumes the conversation after a restart", async () => {
    const db = join(dir, "db");
    const first = await chat(db, ["2"]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/1\) Bahasa Indonesia/);
    expect(first.out).toMatch(/2\) English/);
    expect(first.out).toMatch(/Report \(anonymous\)|anonymous/i);

    const second = await chat(db, ["/keluar"]);
    expect(second.code).toBe(0);
    expect(second.out).not.toMatch(/1\) Bahasa Indonesia/);
    expect(second.out).toMatch(/anonymous/i);
  }, 120_000);
});
