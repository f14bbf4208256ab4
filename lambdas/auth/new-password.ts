import { httpRoute } from '../shared/http';
import { respondNewPassword } from './logic';

export const handler = httpRoute('newPassword', respondNewPassword);
