import { httpRoute } from '../shared/http';
import { deleteMe } from './logic';
import { meRoutes } from './routes';

export const handler = httpRoute(meRoutes.deleteMe, deleteMe);
