/**
 * The email layout: ./layout.eta, rendered by Eta, which escapes every `<%= %>` value (no
 * hand-written escaping; the template uses no raw output). The data type makes the code slot
 * and the link slot required: a layout cannot be rendered without the placeholder Cognito
 * replaces with the code, and says explicitly when a message has no link.
 */
import { Eta } from 'eta/core';
import { LAYOUT } from './layout.generated';

/** The brand a message shows (`bff:brand`, with `bff:appName` as the product name). */
export interface Brand {
  readonly productName: string;
  readonly primaryColor: string;
  readonly backgroundColor: string;
  readonly textColor: string;
  /** https image shown above the greeting. */
  readonly logoUrl?: string;
  /** Address people can write to, shown under the sign-off. */
  readonly supportEmail?: string;
}

/** Cognito's code placeholder (request.codeParameter), replaced by the code after the trigger answers. */
export interface CodeSlot {
  readonly placeholder: string;
}

export interface LinkSlot {
  readonly href: string;
  readonly label: string;
}

export interface LayoutData {
  readonly lang: string;
  readonly subject: string;
  readonly greeting: string;
  readonly intro: string;
  readonly codeLabel: string;
  readonly code: CodeSlot;
  /** `null` when the message has no link (no allowlisted redirect). */
  readonly link: LinkSlot | null;
  readonly expires: string;
  readonly footer: string;
  readonly support: string | null;
  readonly brand: Brand;
}

const eta = new Eta({ autoEscape: true, useWith: false, cache: false });
let compiled: ReturnType<Eta['compile']> | undefined;

/** The HTML email. Compiled once per instance; every value escaped by Eta. */
export function renderLayout(data: LayoutData): string {
  compiled ??= eta.compile(LAYOUT);
  return eta.render(compiled, data);
}
