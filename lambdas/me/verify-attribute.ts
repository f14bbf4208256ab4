import { httpRoute } from '../shared/http';
import { verifyAttribute } from './logic';

export const handler = httpRoute('verifyAttribute', verifyAttribute);
