import { httpRoute } from '../shared/http';
import { forgotPassword } from './logic';
import { passwordRoutes } from './routes';

export const { handler, create } = httpRoute(passwordRoutes.forgotPassword, forgotPassword);
