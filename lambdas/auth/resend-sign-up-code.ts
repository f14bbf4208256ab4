import { httpRoute } from '../shared/http';
import { resendSignUpCode } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.resendSignUpCode, resendSignUpCode);
