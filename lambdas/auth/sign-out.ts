import { httpRoute } from '../shared/http';
import { signOut } from './logic';

export const handler = httpRoute('signOut', signOut);
