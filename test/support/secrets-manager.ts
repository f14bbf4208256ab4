/**
 * Secrets Manager as the functions reach it in unit tests: their signed GetSecretValue (one HTTPS POST,
 * lambdas/shared/secret-reader.ts) is answered with the app client's secret; any other fetch goes on unchanged.
 */
import { jest } from '@jest/globals';

/** The id tests give the client secret's secret (DeployedIds.clientSecretId). */
export const CLIENT_SECRET_ID = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:client-secret';

/** Answers every GetSecretValue with `secret()` as the stored client secret; returns the count of reads. */
export function serveClientSecret(secret: () => string): { readonly reads: () => number } {
  const original = globalThis.fetch;
  let reads = 0;
  jest.spyOn(globalThis, 'fetch').mockImplementation(async (uri, init) => {
    if (!new URL(String(uri instanceof Request ? uri.url : uri)).hostname.startsWith('secretsmanager.')) {
      return original(uri, init);
    }
    reads += 1;
    return new Response(JSON.stringify({ SecretString: JSON.stringify({ clientSecret: secret() }) }));
  });
  return { reads: () => reads };
}
