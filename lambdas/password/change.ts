import { httpRoute } from '../shared/http';
import { changePassword } from './logic';
import { passwordRoutes } from './routes';

export const handler = httpRoute(passwordRoutes.changePassword, changePassword);
