import { setPinHashCost } from "../../src/storage/pin-hash.ts";

/**
 * Test processes hash PINs at a low scrypt cost, set explicitly here (production keeps OWASP's
 * parameters); test/storage/pin-hash.test.ts checks the production cost itself.
 */
setPinHashCost({ N: 2 ** 12, r: 8, p: 1 });
