import { hotlineIdsUsed, useHotlines } from "../flows/content/catalog.ts";
import { type Contacts, ContactsError, loadContacts } from "./officers/contacts.ts";

/**
 * Makes the contacts file the one source of the hotline numbers in every text. Throws a `ContactsError`
 * naming each hotline id the texts use that the file does not list, so a wrong file stops the start
 * instead of showing a placeholder to someone in danger.
 */
export function applyHotlines(contacts: Contacts, source: string): void {
  const listed = new Set(contacts.hotlines.flatMap((h) => (h.id ? [h.id] : [])));
  const missing = [...hotlineIdsUsed()].filter((id) => !listed.has(id)).sort();
  if (missing.length > 0) {
    throw new ContactsError(
      source,
      missing.map((id) => `hotlines: add an entry with id: ${id} (the texts show it as {hotline.${id}})`),
    );
  }
  useHotlines(
    contacts.hotlines.flatMap((h) => (h.id ? [{ id: h.id, number: h.number, checked: h.checked }] : [])),
  );
}

/** Reads `path` and applies its hotlines; see {@link applyHotlines}. */
export function applyHotlinesFile(path: string): void {
  applyHotlines(loadContacts(path), path);
}
