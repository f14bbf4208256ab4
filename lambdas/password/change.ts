import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { changePassword } from './logic';
import { passwordRoutes } from './routes';

export const { handler, create } = httpRoute(passwordRoutes.changePassword, changePassword, { accessTokenCheck });
