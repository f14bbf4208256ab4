import { httpRoute } from '../shared/http';
import { signUp } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.signUp, signUp);
