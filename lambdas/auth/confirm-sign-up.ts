import { httpRoute } from '../shared/http';
import { confirmSignUp } from './logic';

export const handler = httpRoute('confirmSignUp', confirmSignUp);
