/**
 * Message catalogs, one JSON file per locale (`<tag>.json` here, checked against ./schema.ts):
 * a new locale is a new file. `catalogs.generated.ts` imports them all; it is written before
 * every build (./generate.ts), since a bundle only holds what a static import names.
 */
export { catalogs } from './catalogs.generated';
export type { Catalog, MessageKind, MessageText } from './schema';
