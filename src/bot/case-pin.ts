import { appendAudit } from "../storage/audit.ts";
import { clearPinFailures, savePinFailures } from "../storage/cases.ts";
import { DUMMY_PIN_HASH, hashPin, needsRehash, verifyPin } from "../storage/crypto.ts";
import type { Tx } from "../storage/database.ts";

/** Wrong PINs count within this window, and a code stays locked this long once there are too many. */
const PIN_WINDOW_MS = 60 * 60 * 1000;
/** A fixed hash so an unknown code costs as much time as a wrong PIN. */
const DUMMY_HASH = DUMMY_PIN_HASH;

/** The fields of a `report` row a PIN check reads. */
export interface PinRow {
  id: string;
  pinHash: string;
  lockedUntil: Date | null;
  failedPinCount: number;
  failedPinSince: Date | null;
}

/**
 * Checks `pin` against `report` (null: no report has the typed code); true when it opens the case.
 * Every refusal costs one scrypt, so timing does not tell an unknown code from a locked one or a
 * wrong PIN. Wrong PINs within {@link PIN_WINDOW_MS} are counted in the row (the caller holds its
 * lock); `maxFailures` of them lock the code for {@link PIN_WINDOW_MS}, audited, for every
 * conversation but the `owner`'s (the one that filed the report), whose checks neither wait for the
 * lock nor add to it. A right PIN resets the count.
 */
export async function checkPin(
  tx: Tx,
  report: PinRow | null,
  pin: string,
  now: Date,
  maxFailures: number,
  owner = false,
): Promise<boolean> {
  if (!report) {
    await verifyPin(pin, DUMMY_HASH);
    return false;
  }
  if (!owner && report.lockedUntil && report.lockedUntil > now) {
    // Same cost as a real check, so timing does not tell that this code exists and is locked.
    await verifyPin(pin, DUMMY_HASH);
    return false;
  }
  if (!report.pinHash.startsWith("scrypt$")) {
    await verifyPin(pin, DUMMY_HASH);
    return false;
  }
  if (!(await verifyPin(pin.trim(), report.pinHash))) {
    if (owner) return false;
    const windowOpen =
      report.failedPinSince && now.getTime() - report.failedPinSince.getTime() < PIN_WINDOW_MS;
    const failures = windowOpen ? report.failedPinCount + 1 : 1;
    const locked = failures >= maxFailures;
    await savePinFailures(tx, report.id, {
      count: locked ? 0 : failures,
      since: locked ? null : windowOpen ? report.failedPinSince : now,
      ...(locked ? { lockedUntil: new Date(now.getTime() + PIN_WINDOW_MS) } : {}),
    });
    if (locked) await appendAudit(tx, { actor: "system", action: "report.pin_locked", reportId: report.id });
    return false;
  }
  // A hash made at an older cost (or without the pepper) is replaced while the PIN is at hand.
  const rehashed = needsRehash(report.pinHash) ? await hashPin(pin.trim()) : undefined;
  await clearPinFailures(tx, report.id, rehashed);
  return true;
}
