import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { getMe } from './logic';
import { meRoutes } from './routes';

export const { handler, create } = httpRoute(meRoutes.getMe, getMe, { accessTokenCheck });
