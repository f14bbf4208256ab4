import { httpRoute } from '../shared/http';
import { changePassword } from './logic';

export const handler = httpRoute('changePassword', changePassword);
