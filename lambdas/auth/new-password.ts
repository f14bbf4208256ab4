import { httpRoute } from '../shared/http';
import { respondNewPassword } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.newPassword, respondNewPassword);
