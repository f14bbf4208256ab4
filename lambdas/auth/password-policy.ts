/**
 * `GET /auth/password-policy`: the pool's password policy as deployed, so a frontend shows the rules before
 * the user breaks them. No Cognito call: the function has the policy from the settings (configuration
 * contract, PASSWORD_POLICY), every field of `bff:passwordPolicy` as it is configured, so a field added to the
 * setting later is served without a change here.
 */
import { httpRoute } from '../shared/http';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.passwordPolicy, async (_request, { config }) => ({
  ...config.passwordPolicy,
}));
