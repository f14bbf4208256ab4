import { httpRoute } from '../shared/http';
import { signIn } from './logic';
import { authRoutes } from './routes';

export const handler = httpRoute(authRoutes.signIn, signIn);
