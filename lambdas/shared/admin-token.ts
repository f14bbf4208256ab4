/**
 * What an admin route checks itself, beyond API Gateway's authorizer (whose claims reach the function
 * flattened into strings): the access token is verified with aws-jwt-verify for this pool and this client,
 * the admins group is matched exactly in the verified `cognito:groups` array (a group named
 * `evil,admins` grants nothing), and the token is confirmed live with GetUser, which refuses a token that
 * GlobalSignOut or RevokeToken revoked before it expired
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetUser.html).
 * Only admin routes import this module, so only their bundles carry aws-jwt-verify.
 */
import { GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { ApiDeps } from './cognito';
import { ForbiddenError, UnauthorizedError } from './problem';

export type AdminCheck = (accessToken: string) => Promise<void>;

/** Cognito's issuer for a pool; the local stack serves its own (over loopback http). */
const issuerOf = (deps: ApiDeps) => {
  const { userPoolId, cognitoEndpoint } = deps.config;
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

export function adminTokenCheck(deps: ApiDeps): AdminCheck {
  const { clientId, adminGroupName } = deps.config;
  const issuer = issuerOf(deps);
  const verifier = JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // Access tokens carry no `aud`; the client is `client_id`, checked below as CognitoJwtVerifier does.
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== 'access') throw new Error('not an access token');
        if (payload.client_id !== clientId) throw new Error('issued to another client');
      },
    },
    // One fetcher for Cognito's https JWKS and the local stack's loopback http one (aws-jwt-verify's own
    // fetches https only), with a deadline like aws-jwt-verify's.
    { jwksCache: new SimpleJwksCache({ fetcher: { fetch: fetchJwks } }) },
  );
  return async (accessToken) => {
    let groups: unknown;
    try {
      groups = (await verifier.verify(accessToken))['cognito:groups'];
    } catch {
      throw new UnauthorizedError('NotAuthorized', 'A valid access token is required.');
    }
    if (!Array.isArray(groups) || !groups.includes(adminGroupName)) {
      throw new ForbiddenError('Forbidden', 'This action is reserved to administrators.');
    }
    // A revoked token answers NotAuthorizedException: 401, like any invalid token.
    await deps.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  };
}
