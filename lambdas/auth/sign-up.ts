import { httpRoute } from '../shared/http';
import { signUp } from './logic';

export const handler = httpRoute('signUp', signUp);
