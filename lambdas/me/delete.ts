import { httpRoute } from '../shared/http';
import { deleteMe } from './logic';

export const handler = httpRoute('deleteMe', deleteMe);
