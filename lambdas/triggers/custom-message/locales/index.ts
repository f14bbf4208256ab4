/** Message catalogs, one JSON file per language: a new language is a new file plus one line here. */
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };

export type Catalog = typeof en;
export type MessageKind = keyof Catalog['messages'];

export const catalogs: Readonly<Record<string, Catalog>> = { de, en, es, fr };
