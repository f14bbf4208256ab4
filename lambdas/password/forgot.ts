import { httpRoute } from '../shared/http';
import { forgotPassword } from './logic';
import { passwordRoutes } from './routes';

export const handler = httpRoute(passwordRoutes.forgotPassword, forgotPassword);
