import { httpRoute } from '../shared/http';
import { refresh } from './logic';

export const handler = httpRoute('refresh', refresh);
