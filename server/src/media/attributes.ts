/** Applies attribute changes the LiveKit way: an empty value removes the key. */
export function mergeAttributes(current: Record<string, string>, changes: Record<string, string>): Record<string, string> {
  const merged = { ...current, ...changes };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== ''));
}
