import { setPinHashCost } from "../../src/storage/pin-hash.ts";

/** The scrypt cost test processes hash PINs at. */
export const TEST_PIN_COST = { N: 2 ** 12, r: 8, p: 1 };

/**
 * Test processes hash PINs at a low scrypt cost, set explicitly here (production keeps OWASP's
 * parameters); test/storage/pin-hash.test.ts checks the production cost itself.
 */
setPinHashCost(TEST_PIN_COST);
