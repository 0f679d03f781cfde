const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a key has the shape of the database's uuid keys (so it can be sent without a cast error). */
export function isUuid(key: string): boolean {
  return UUID.test(key);
}
