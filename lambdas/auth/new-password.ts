import { httpRoute } from '../shared/http';
import { respondNewPassword } from './logic';
import { authRoutes } from './routes';

export const handler = httpRoute(authRoutes.newPassword, respondNewPassword);
