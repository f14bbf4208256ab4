import { httpRoute } from '../shared/http';
import { refresh } from './logic';
import { authRoutes } from './routes';

export const { handler, create } = httpRoute(authRoutes.refresh, refresh);
