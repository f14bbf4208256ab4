import { httpRoute } from '../shared/http';
import { sendVerificationCode } from './logic';

export const handler = httpRoute('sendVerificationCode', sendVerificationCode);
