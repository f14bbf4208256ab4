import { httpRoute } from '../shared/http';
import { confirmSignUp } from './logic';
import { authRoutes } from './routes';

export const handler = httpRoute(authRoutes.confirmSignUp, confirmSignUp);
