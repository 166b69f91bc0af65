import { readFileSync } from "node:fs";

const dir = new URL("../../../fixtures/whatsapp/", import.meta.url);

/** Raw bytes of a WhatsApp webhook fixture, exactly as a POST body would carry them. */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`${name}.json`, dir));
}

/** A fixture parsed as JSON (unvalidated). */
export function fixture(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString("utf8"));
}
