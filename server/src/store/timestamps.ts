/** pg parses timestamptz into Date; PGlite may hand back a string. Either way, one Date. */
export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function toIsoString(value: Date | string): string {
  return toDate(value).toISOString();
}
