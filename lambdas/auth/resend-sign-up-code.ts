import { httpRoute } from '../shared/http';
import { resendSignUpCode } from './logic';

export const handler = httpRoute('resendSignUpCode', resendSignUpCode);
