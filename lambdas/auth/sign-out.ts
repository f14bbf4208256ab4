import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { signOut } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.signOut, signOut, { accessTokenCheck });
