import { httpRoute } from '../shared/http';
import { resetPassword } from './logic';
import { passwordRoutes } from './routes';

export const { handler, create } = httpRoute(passwordRoutes.resetPassword, resetPassword);
