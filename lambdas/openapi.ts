/** The OpenAPI 3.1 document of the contract, generated from the route table's zod schemas. */
import * as z from 'zod/mini';
import { type RouteDefinition, routeList } from './routes';
import { NO_OPERATION } from './shared/route';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: {
      type: 'integer',
      description: "The HTTP status; absent only in API Gateway's fallback answers, which cannot know it.",
    },
    responseType: {
      type: 'string',
      description: "API Gateway's fallback answers only (codes GatewayRejected, GatewayError): its response type.",
    },
    detail: { type: 'string' },
    code: {
      type: 'string',
      description: 'Stable machine-readable code, e.g. CodeMismatch, InvalidPassword, PasswordReused.',
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
} as const;

const jsonSchema = (schema: z.ZodMiniType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return rest;
};

/** The deployment's rules for clientMetadata, which its JSON schema cannot show. */
const CLIENT_METADATA_DESCRIPTION =
  'Known keys only (else 400): `locale` (a BCP 47 tag: the language of the mail), `redirectUri` (the page a ' +
  'mailed link opens: it must match a bff:redirectAllowlist entry exactly, an origin plus an exact path or a ' +
  'path under an entry ending in `/`, written as the URL parser writes it back, with no query, no fragment and ' +
  'no encoded / or \\ (%2f, %5c); the link carries `#flow=<confirm|reset|verify|invite|sign-in>&code=...&' +
  "username=...` in its fragment), `app` (an id of the deployment's bff:apps: mail shows that app's " +
  'display name, never the value sent; any other value is refused), and the keys of bff:clientMetadataKeys.';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** What every route that names a user without credentials promises (route table `hidesUser`). */
const HIDES_USER =
  'Answers alike whether or not the account exists, whatever its state and whichever per-user limit it reached: ' +
  'the same status, headers and body, and no sooner than the response floor (bff:responseFloorMs). ' +
  'Usernames are trimmed, put in Unicode NFC and, for an email, lower-cased.';

/** The password-history refusal, on the routes that set a password the user chose. */
const PASSWORD_REUSED =
  ' PasswordReused: the new password is one of the last bff:passwordPolicy.passwordHistorySize passwords ' +
  'of the account (the current one included); choose one not used before.';

const RETRY_AFTER =
  'Seconds to wait at least before retrying (bff:retryAfterSeconds). Cognito does not publish the windows of its ' +
  'limits, so in AWS this is a minimum wait, not a promise that the retry succeeds. The local stack counts its ' +
  'limits in windows of this length, so there the wait is exactly enough.';

/** The refusal of the password a signed-in caller proves itself with (passwordCheckRefusal). */
const INCORRECT_PASSWORD =
  'IncorrectPassword: the current (or previous) password is wrong; the token is fine, so this is not the 401 ' +
  'that means refresh and retry';

/** Cookie mode (lambdas/shared/session.ts), documented on every operation. */
const SESSION_MODES =
  'Two modes, chosen per request by the X-BFF-Session header. Token mode (`X-BFF-Session: token`, or no header; ' +
  'native and server clients): ' +
  'tokens in bodies and `Authorization: Bearer <accessToken>`. Cookie mode (`X-BFF-Session: cookie`; browsers, ' +
  "with `credentials: 'include'`): the session lives in two HttpOnly, Secure, SameSite=Strict cookies sealed " +
  'with AES-256-GCM by the BFF: `__Host-bff-access` (Path=/, Max-Age = the access token lifetime) and ' +
  '`__Secure-bff-refresh` (Path = the API base path + `/auth/refresh`, e.g. `/v1/auth/refresh`; Max-Age = what is left of the ' +
  'session, which a refresh never extends). Session cookies are read only with the header, and a cookie-mode ' +
  'request must come from an allowed Origin (without one, `Sec-Fetch-Site: same-origin`), else 403 Forbidden. ' +
  'Cookies sent without the header are no credentials (401 NotAuthorized on authenticated routes).';

const sessionHeader = {
  name: 'X-BFF-Session',
  in: 'header',
  required: false,
  schema: { type: 'string', enum: ['cookie', 'token'] },
  description: '`cookie`: cookie mode. `token`, or absent: token mode. Any other value is 400.',
};

const cookieSession = {
  type: 'object',
  required: ['mode', 'expiresIn'],
  properties: {
    mode: { const: 'cookie' },
    expiresIn: { type: 'integer', description: 'Seconds the access cookie (and token) lives.' },
  },
  description: 'Cookie mode: the tokens are in the Set-Cookie headers only; no token is ever in this body.',
} as const;

const SET_SESSION = {
  'Set-Cookie': {
    schema: { type: 'string' },
    description:
      'Cookie mode only: `__Host-bff-access` and (when Cognito issued one) `__Secure-bff-refresh`, sealed, ' +
      'HttpOnly; Secure; SameSite=Strict.',
  },
};
const CLEAR_SESSION = {
  'Set-Cookie': {
    schema: { type: 'string' },
    description: 'Cookie mode only: both session cookies cleared (empty, Max-Age=0, same names and paths).',
  },
};

/** The success answer of a route, in both modes where they differ. */
function success(route: RouteDefinition) {
  const status = String(route.status);
  if (route.session === 'issue' && route.answer) {
    return {
      [status]: {
        description: 'Token mode: the tokens (or a challenge). Cookie mode: the session cookies (or a challenge).',
        headers: SET_SESSION,
        content: {
          'application/json': { schema: { oneOf: [jsonSchema(route.answer()), cookieSession] } },
        },
      },
    };
  }
  const base = route.answer
    ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(route.answer()) } } }
    : { description: 'Success, no content' };
  return { [status]: route.session === 'end' ? { ...base, headers: CLEAR_SESSION } : base };
}

/** The request body: in cookie mode the refresh route takes `{}` (its token comes from the cookie). */
function body(route: RouteDefinition) {
  if (!route.schema) return {};
  const token = requestSchema(route.schema());
  const schema = route.cookieSchema
    ? {
        oneOf: [
          { ...token, title: 'Token mode' },
          {
            ...jsonSchema(route.cookieSchema()),
            title: 'Cookie mode: `{}`, the refresh token is read from its cookie',
          },
        ],
      }
    : token;
  return { requestBody: { required: !route.optionalBody, content: { 'application/json': { schema } } } };
}

/** A request body's JSON schema, with the clientMetadata rules in words. */
function requestSchema(schema: z.ZodMiniType) {
  const json = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>> };
  const metadata = json.properties?.clientMetadata;
  if (metadata) metadata.description = CLIENT_METADATA_DESCRIPTION;
  return json;
}

/** Contract notes of the routes whose answers depend on a setting (README, "Takeover protection"). */
const NOTICES: Readonly<Record<string, string>> = {
  signUp:
    'By default a sign-up for an existing username answers 409 UsernameExists. With bff:hideDuplicateSignUp it ' +
    'answers exactly like a new sign-up (201, a random `userSub`, the destination masked from the username, ' +
    'never sooner than the response floor), and the owner of the address is mailed that someone tried.',
  updateAttributes:
    'Changing the email needs `currentPassword`, and sends a code to the new address (counted against the ' +
    'per-user cap, bff:verificationCodeCap). With bff:email the old address is told (bff:notifyEmailChange: the new ' +
    'address masked, no code); a notice that fails is logged and counted and never fails the change.',
  sendVerificationCode:
    'Each code counts against the per-user cap on codes to new addresses (bff:verificationCodeCap).',
};

function operation(route: RouteDefinition & { name: string }) {
  // Path parameters from the row's schema, the same one the HTTP chain validates with.
  const properties = route.params
    ? ((jsonSchema(route.params()) as { properties?: Record<string, unknown> }).properties ?? {})
    : {};
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: properties[m[1] ?? ''] ?? { type: 'string' },
    })),
    sessionHeader,
  ];
  const errors: Record<string, unknown> = {
    '400': problem(
      'Validation failed (a body nested deeper than 16 levels included), or Cognito rejected the values (code says which).',
    ),
    '413': problem('Body too large.'),
    '415': problem('Body is not application/json.'),
    '429': {
      ...problem(
        route.hidesUser
          ? 'Throttled (API Gateway or Cognito, for every caller alike; never a per-user limit on this route).'
          : 'Throttled, or a per-user limit reached (LimitExceeded, TooManyFailedAttempts).',
      ),
      headers: {
        'Retry-After': {
          schema: { type: 'integer' },
          description: RETRY_AFTER,
        },
      },
    },
    '500': problem('Misconfiguration; no detail is given.'),
    '502': problem(
      'Cognito or a Cognito trigger failed (Upstream, TriggerFailed, CodeDeliveryFailure), or Cognito refused the ' +
        "service's app client secret (ClientSecretRejected: a misconfiguration, alarmed; retry later).",
    ),
    '503': problem('Cognito did not answer in time.'),
    '504': problem('API Gateway: the function did not answer in time (GatewayTimeout).'),
  };
  errors['403'] = problem('Forbidden: a cookie-mode request from an origin that is not allowed.');
  if (route.auth !== 'none') {
    errors['401'] = problem(
      'Missing, invalid, expired or revoked access token (token mode: the bearer header; cookie mode: the ' +
        'access cookie; cookies without X-BFF-Session count as none).',
    );
  }
  if (route.cookieSchema) {
    errors['401'] = problem('Cookie mode: no valid refresh cookie. Token mode: the refresh token was refused.');
  }
  if (route.name === 'signIn') {
    errors['401'] = problem(
      'NotAuthorized: a wrong password, an unknown user and a lockout after several failed attempts answer alike.',
    );
  }
  if (route.name === 'confirmSignUp' || route.name === 'resetPassword') {
    errors['400'] = problem(
      'Validation failed, or the code did not work: CodeMismatch for a wrong, expired or used code, too many ' +
        'wrong codes and an unknown user alike (request a new code); or InvalidPassword (reset).' +
        (route.name === 'resetPassword' ? PASSWORD_REUSED : ''),
    );
  }
  if (route.name === 'changePassword' || route.name === 'newPassword') {
    errors['400'] = problem(
      'Validation failed, or Cognito rejected the values: InvalidPassword (the policy).' + PASSWORD_REUSED,
    );
  }
  if (route.auth === 'admin') {
    errors['403'] = problem('The caller is not in the admins group, or a cookie-mode request from another origin.');
  }
  if (route.name === 'signUp' || route.name === 'updateAttributes') {
    errors['403'] = problem(
      'AttributeNotWritable: an attribute the app client may not write (never the 401 of invalid credentials); ' +
        (route.name === 'updateAttributes' ? `${INCORRECT_PASSWORD}; ` : '') +
        'or a cookie-mode request from an origin that is not allowed.',
    );
  }
  if (route.name === 'changePassword') {
    errors['403'] = problem(`${INCORRECT_PASSWORD}; or a cookie-mode request from an origin that is not allowed.`);
  }
  if (route.name === 'signUp') {
    errors['409'] = problem(
      "UsernameExists: an account with this username exists (Cognito's own answer, the one documented oracle). " +
        'Not with bff:hideDuplicateSignUp: then a duplicate answers 201 like a new sign-up (a random userSub) and ' +
        'the owner is mailed instead.',
    );
  }
  if (route.codeCap) {
    errors['429'] = {
      ...(errors['429'] as object),
      ...problem(
        'Throttled, a per-user limit reached (LimitExceeded, TooManyFailedAttempts), or CodeLimitExceeded: the ' +
          'per-user cap on codes sent to a new address (bff:verificationCodeCap).',
      ),
    };
    errors['503'] = problem(
      'Cognito did not answer in time, or CodeLimitUnavailable: the code-cap store could not be reached (nothing ' +
        'was sent).',
    );
  }
  if (route.name === 'changePassword' || route.name === 'updateAttributes') {
    errors['429'] = {
      ...(errors['429'] as object),
      ...problem(
        'Throttled, or LimitExceeded: too many wrong passwords (Cognito locked the sign-ins for a few minutes)' +
          (route.codeCap ? ', or CodeLimitExceeded: the per-user cap on codes sent to a new address.' : '.'),
      ),
    };
  }
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.hidesUser
      ? { description: HIDES_USER }
      : NOTICES[route.name]
        ? { description: NOTICES[route.name] }
        : {}),
    ...(route.operation !== NO_OPERATION ? { 'x-cognito-operation': route.operation } : {}),
    parameters,
    ...(route.auth !== 'none' ? { security: [{ cognitoAccessToken: [] }, { sessionCookie: [] }] } : {}),
    ...body(route),
    responses: { ...success(route), ...errors },
  };
}

let cached: unknown;

export function openApiDocument(serverUrl?: string): unknown {
  cached ??= (() => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of routeList) {
      paths[route.path] ??= {};
      (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Cognito password BFF',
        version: '1.0.0',
        description: `Passwords and self-service account calls in front of an Amazon Cognito user pool. ${SESSION_MODES}`,
      },
      paths,
      components: {
        schemas: { Problem: problemSchema },
        securitySchemes: {
          cognitoAccessToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'Token mode: the Cognito access token.',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: '__Host-bff-access',
            description: 'Cookie mode (with `X-BFF-Session: cookie` only): the sealed access cookie.',
          },
        },
      },
    };
  })();
  return serverUrl ? { ...(cached as object), servers: [{ url: serverUrl }] } : cached;
}
