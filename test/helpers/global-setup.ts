/** Global test setup; builds shared fixtures once per run (see test/helpers). */
export default async function setup(): Promise<void> {}
