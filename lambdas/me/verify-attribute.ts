import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { verifyAttribute } from './logic';
import { meRoutes } from './routes';

export const { handler, create } = httpRoute(meRoutes.verifyAttribute, verifyAttribute, { accessTokenCheck });
