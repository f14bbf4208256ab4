import { accessTokenCheck } from '../shared/access-token';
import { httpRoute } from '../shared/http';
import { sendVerificationCode } from './logic';
import { meRoutes } from './routes';

export const { handler, create } = httpRoute(meRoutes.sendVerificationCode, sendVerificationCode, { accessTokenCheck });
