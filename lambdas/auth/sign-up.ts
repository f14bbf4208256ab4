import { httpRoute } from '../shared/http';
import { signUp } from './logic';
import { authRoutes } from './routes';

export const handler = httpRoute(authRoutes.signUp, signUp);
