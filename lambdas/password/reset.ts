import { httpRoute } from '../shared/http';
import { resetPassword } from './logic';

export const handler = httpRoute('resetPassword', resetPassword);
