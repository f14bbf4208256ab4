import { httpRoute } from '../shared/http';
import { forgotPassword } from './logic';

export const handler = httpRoute('forgotPassword', forgotPassword);
