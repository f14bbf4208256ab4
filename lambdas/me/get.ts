import { httpRoute } from '../shared/http';
import { getMe } from './logic';

export const handler = httpRoute('getMe', getMe);
