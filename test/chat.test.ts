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

  it("answers typed text, numbers the choices, accepts a number, and resumes at the same question after a restart", async () => {
    const db = join(dir, "db");
    const first = await chat(db, ["halo", "2"]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("Suara Aman bukan polisi");
    expect(first.out).toMatch(/2\) Lapor \(anonim\)/);
    expect(first.out).toContain("Apa yang terjadi?");

    const second = await chat(db, ["/keluar"]);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain("Suara Aman bukan polisi");
    expect(second.out).toContain("Apa yang terjadi?");
    expect(second.out).toMatch(/1\) Penipuan rekrutmen/);
  }, 120_000);
});
