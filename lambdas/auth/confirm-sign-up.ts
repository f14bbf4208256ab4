import { httpRoute } from '../shared/http';
import { confirmSignUp } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.confirmSignUp, confirmSignUp);
