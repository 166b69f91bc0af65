/** The database or the schema engine failed. Carries the original error as `cause`. */
export class StorageError extends Error {
  override readonly name = "StorageError";
}
