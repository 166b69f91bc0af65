import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * Shipped content files (the catalogs, the lexicon) are YAML that a non-programmer edits. Parsing
 * all of them is the slowest part of a start (about 0.2 s), so `npm run build` writes next to each
 * one a parsed copy (`<file>.json`) holding the text it came from, and a start reads
 * that copy while the text still matches. An edited YAML file no longer matches its copy, which is
 * then ignored: the YAML stays the only source of the content.
 */
interface ParsedCopy {
  source: string;
  value: unknown;
}

/** Path of the parsed copy of `file`. */
export function parsedCopyPath(file: string): string {
  return `${file}.json`;
}

function readParsedCopy(file: string, source: string): { value: unknown } | undefined {
  let copy: ParsedCopy;
  try {
    copy = JSON.parse(readFileSync(parsedCopyPath(file), "utf8")) as ParsedCopy;
  } catch {
    return undefined; // no copy (development, tests) or an unreadable one: parse the YAML
  }
  return copy?.source === source ? { value: copy.value } : undefined;
}

/** The parsed value of a YAML content file, from its parsed copy when that matches the text. */
export function readYamlFile(file: string): unknown {
  const text = readFileSync(file, "utf8");
  const copy = readParsedCopy(file, text);
  return copy ? copy.value : parse(text);
}

/** Writes the parsed copy of a YAML content file (run by `npm run build` on the shipped content). */
export function writeParsedCopy(file: string): void {
  const text = readFileSync(file, "utf8");
  const copy: ParsedCopy = { source: text, value: parse(text) };
  writeFileSync(parsedCopyPath(file), JSON.stringify(copy));
}
