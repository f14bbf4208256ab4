import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** A route as the WAF reads it: a row of the route table (lambdas/routes.ts). */
export interface WafRoute {
  readonly name: string;
  readonly path: string;
  readonly operation: string;
}

/**
 * The Cognito operations that send mail to an address the request chose (a code or a link), so that a
 * caller can spend the account's mail quota and flood an inbox: SignUp, ResendConfirmationCode,
 * ForgotPassword, GetUserAttributeVerificationCode, and UpdateUserAttributes (a new email gets a code).
 */
export const MAIL_OPERATIONS: ReadonlySet<string> = new Set([
  'SignUp',
  'ResendConfirmationCode',
  'ForgotPassword',
  'GetUserAttributeVerificationCode',
  'UpdateUserAttributes',
]);
/** The operation of the sign-in route, where passwords are guessed. */
export const SIGN_IN_OPERATIONS: ReadonlySet<string> = new Set(['InitiateAuth']);

export type WafClass = 'mail' | 'signIn';

/** Each route's stricter WAF class, read from the route table by the Cognito operation it calls. */
export function wafClasses(routes: readonly WafRoute[]): Record<WafClass, WafRoute[]> {
  return {
    mail: routes.filter((r) => MAIL_OPERATIONS.has(r.operation)),
    signIn: routes.filter((r) => SIGN_IN_OPERATIONS.has(r.operation)),
  };
}

/**
 * Matches a path that ends with one of the routes' paths, under any stage or base path (`/v1`, a custom
 * domain's mapping, doubled slashes), with an optional trailing slash.
 */
export function pathRegex(routes: readonly WafRoute[]): string {
  const paths = routes.map((r) => r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(1));
  return `^.*/(${paths.join('|')})/?$`;
}

export interface RateLimitWafProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** The route table, from which the stricter rules take their paths. */
  readonly routes: readonly WafRoute[];
  /**
   * Requests per IP per 5 minutes, over all routes, before WAF blocks the IP.
   * @default 500
   */
  readonly limitPer5Minutes?: number;
  /**
   * Requests per IP per 5 minutes to the routes that send mail.
   * @default 20
   */
  readonly mailLimitPer5Minutes?: number;
  /**
   * Requests per IP per 5 minutes to sign-in.
   * @default 100
   */
  readonly signInLimitPer5Minutes?: number;
}

/**
 * A WAFv2 web ACL on the API stage with per-IP rate-based rules: one over every route, and stricter ones over
 * the routes that send mail and over sign-in (their paths come from the route table). A rate-based rule with a
 * scope-down statement counts only the requests that match it
 * (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html).
 */
export class RateLimitWaf extends Construct {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: RateLimitWafProps) {
    super(scope, id);
    const limits = {
      all: props.limitPer5Minutes ?? 500,
      mail: props.mailLimitPer5Minutes ?? 20,
      signIn: props.signInLimitPer5Minutes ?? 100,
    };
    for (const [name, limit] of Object.entries(limits)) {
      if (!Number.isInteger(limit) || limit < 10 || limit > 2_000_000_000) {
        throw new Error(`waf ${name} limit per 5 minutes must be an integer from 10 to 2e9, got ${limit}`);
      }
    }
    const classes = wafClasses(props.routes);
    const visibility = (metricName: string) => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      sampledRequestsEnabled: true,
    });
    const scoped = (routes: readonly WafRoute[]): CfnWebACL.StatementProperty => ({
      regexMatchStatement: {
        regexString: pathRegex(routes),
        fieldToMatch: { uriPath: {} },
        textTransformations: [
          { priority: 0, type: 'URL_DECODE' },
          { priority: 1, type: 'LOWERCASE' },
        ],
      },
    });
    const rule = (name: string, priority: number, limit: number, scopeDown?: CfnWebACL.StatementProperty) => ({
      name,
      priority,
      action: { block: {} },
      statement: {
        rateBasedStatement: { limit, aggregateKeyType: 'IP', ...(scopeDown ? { scopeDownStatement: scopeDown } : {}) },
      },
      visibilityConfig: visibility(`password-bff-${name}`),
    });
    const rules = [rule('per-ip-rate-limit', 0, limits.all)];
    if (classes.mail.length > 0) rules.push(rule('per-ip-mail-routes', 1, limits.mail, scoped(classes.mail)));
    if (classes.signIn.length > 0) rules.push(rule('per-ip-sign-in', 2, limits.signIn, scoped(classes.signIn)));
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('password-bff'),
      rules,
    });
    new CfnWebACLAssociation(this, 'Association', { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
