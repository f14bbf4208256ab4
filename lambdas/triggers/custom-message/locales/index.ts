/** Message catalogs, one JSON file per language: a new language is a new file plus one line here. */
import de from './de.json';
import en from './en.json';
import es from './es.json';
import fr from './fr.json';

export type Catalog = typeof en;
export type MessageKind = keyof Catalog['messages'];

export const catalogs: Readonly<Record<string, Catalog>> = { de, en, es, fr };
