/**
 * Builds a value on first use and keeps it. zod schemas take measurable time to construct, and a
 * function needs only its own route's: the rest of its area's schemas (and the answer schemas,
 * used only by the OpenAPI document) are never built in that function.
 */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
