import { accessTokenCheck } from '../shared/access-token';
import { adminTokenCheck } from '../shared/admin-token';
import { httpRoute } from '../shared/http';
import { adminResetPassword } from './logic';
import { adminRoutes } from './routes';

export const { handler, create } = httpRoute(adminRoutes.adminResetPassword, adminResetPassword, {
  accessTokenCheck,
  adminCheck: adminTokenCheck,
});
