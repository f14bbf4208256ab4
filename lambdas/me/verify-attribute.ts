import { httpRoute } from '../shared/http';
import { verifyAttribute } from './logic';
import { meRoutes } from './routes';

export const handler = httpRoute(meRoutes.verifyAttribute, verifyAttribute);
