/**
 * The access-token check every authenticated route makes itself, in the function: the token (from the
 * `Authorization: Bearer` header in token mode, from the session cookie in cookie mode) is verified with
 * aws-jwt-verify for this pool and this client: RS256 signature against the pool's JWKS, issuer, expiry,
 * `token_use` access, `client_id`, and the scope API Gateway's Cognito authorizer used to require. There is no
 * gateway authorizer in front of these routes (it reads only the Authorization header, so it would refuse
 * every cookie-mode request; ROUND2 forbids a cached authorizer keyed on the cookie).
 *
 * The JWKS is fetched on the first verification, never at cold start, and kept for the container's life
 * (aws-jwt-verify refetches it once when it meets an unknown `kid`).
 */
import { JwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { ApiConfig } from './config';
import { UnauthorizedError } from './problem';

export type Claims = Readonly<Record<string, unknown>>;
export type AccessTokenCheck = (accessToken: string) => Promise<Claims>;

/** Cognito's issuer for a pool; the local stack serves its own (over loopback http). */
export const issuerOf = (config: Pick<ApiConfig, 'userPoolId' | 'cognitoEndpoint'>) => {
  const { userPoolId, cognitoEndpoint } = config;
  const region = userPoolId.split('_')[0] ?? '';
  return cognitoEndpoint
    ? `${cognitoEndpoint}/${userPoolId}`
    : `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
};

async function fetchJwks(uri: string): Promise<ArrayBuffer> {
  const response = await fetch(uri, { signal: AbortSignal.timeout(1500) });
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
  return response.arrayBuffer();
}

export function accessTokenCheck(config: ApiConfig): AccessTokenCheck {
  const issuer = issuerOf(config);
  const verifier = JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // Access tokens carry no `aud`; the client is `client_id`, checked below as CognitoJwtVerifier does.
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (payload.client_id !== config.clientId) throw new Error('issued to another client');
        if (
          !String(payload.scope ?? '')
            .split(' ')
            .includes('aws.cognito.signin.user.admin')
        ) {
          throw new Error('scope');
        }
      },
    },
    // One fetcher for Cognito's https JWKS and the local stack's loopback http one (aws-jwt-verify's own
    // fetches https only), with a deadline like aws-jwt-verify's.
    { jwksCache: new SimpleJwksCache({ fetcher: { fetch: fetchJwks } }) },
  );
  return async (accessToken) => {
    try {
      return await verifier.verify(accessToken);
    } catch {
      throw new UnauthorizedError('NotAuthorized', 'A valid access token is required.');
    }
  };
}
