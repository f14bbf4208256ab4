import { httpRoute } from '../shared/http';
import { updateAttributes } from './logic';

export const handler = httpRoute('updateAttributes', updateAttributes);
