import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { deleteMe } from './logic';
import { meRoutes } from './routes';

export const { handler, create } = httpRoute(meRoutes.deleteMe, deleteMe, { accessTokenCheck });
