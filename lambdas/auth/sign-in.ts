import { httpRoute } from '../shared/http';
import { signIn } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.signIn, signIn);
