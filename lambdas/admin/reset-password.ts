import { httpRoute } from '../shared/http';
import { adminResetPassword } from './logic';

export const handler = httpRoute('adminResetPassword', adminResetPassword);
