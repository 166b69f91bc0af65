import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "generated" ? [] : sources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("source files", () => {
  it("stay at 300 lines or fewer (split a file by responsibility when it grows past that)", () => {
    const long = sources("src")
      .map((path) => ({ path, lines: readFileSync(path, "utf8").split("\n").length }))
      .filter((f) => f.lines > 300)
      .map((f) => `${f.path}: ${f.lines}`);
    expect(long).toEqual([]);
  });
});
