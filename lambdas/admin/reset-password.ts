import { httpRoute } from '../shared/http';
import { adminResetPassword } from './logic';
import { adminRoutes } from './routes';

export const handler = httpRoute(adminRoutes.adminResetPassword, adminResetPassword);
