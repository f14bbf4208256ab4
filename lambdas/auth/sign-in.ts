import { httpRoute } from '../shared/http';
import { signIn } from './logic';

export const handler = httpRoute('signIn', signIn);
