import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { updateAttributes } from './logic';
import { meRoutes } from './routes';

export const { handler, create } = httpRoute(meRoutes.updateAttributes, updateAttributes, { accessTokenCheck });
