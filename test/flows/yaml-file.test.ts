import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parsedCopyPath, readYamlFile, writeParsedCopy } from "../../src/flows/content/yaml-file.ts";

const CONTENT = join(import.meta.dirname, "../../src/flows/content");

describe("YAML content files and their parsed copies", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "suara-yaml-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reads the YAML when there is no parsed copy", async () => {
    const file = join(dir, "plain.yaml");
    await writeFile(file, "greeting:\n  hello: Halo {name}\n");
    expect(readYamlFile(file)).toEqual({ greeting: { hello: "Halo {name}" } });
  });

  it("reads the parsed copy while the YAML is unchanged, and the YAML again once it is edited", async () => {
    const file = join(dir, "edited.yaml");
    await writeFile(file, "a: satu\n");
    writeParsedCopy(file);
    // The copy is what a start reads: mark it to see it used.
    const copy = JSON.parse(await readFile(parsedCopyPath(file), "utf8")) as { value: unknown };
    copy.value = { a: "from the copy" };
    await writeFile(parsedCopyPath(file), JSON.stringify(copy));
    expect(readYamlFile(file)).toEqual({ a: "from the copy" });

    // Someone edits the YAML after the build: the copy no longer matches and is ignored.
    await writeFile(file, "a: dua\n");
    expect(readYamlFile(file)).toEqual({ a: "dua" });
  });

  it("ignores a broken parsed copy", async () => {
    const file = join(dir, "broken.yaml");
    await writeFile(file, "b: [1, 2]\n");
    await writeFile(parsedCopyPath(file), "{ not json");
    expect(readYamlFile(file)).toEqual({ b: [1, 2] });
  });

  it("gives the same value from the copy as from the YAML for every shipped content file", async () => {
    const entries = await readdir(CONTENT, { recursive: true });
    const files = entries.filter((f) => f.endsWith(".yaml")).map((f) => join(CONTENT, f));
    expect(files.length).toBeGreaterThan(5);
    for (const source of files) {
      const file = join(dir, source.slice(CONTENT.length + 1).replaceAll("/", "_"));
      const text = await readFile(source, "utf8");
      await writeFile(file, text);
      writeParsedCopy(file);
      expect(readYamlFile(file), source).toEqual(parse(text));
    }
  });
});
