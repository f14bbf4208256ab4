import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger for every function. It never receives a body, a header value, a
 * password, a code or a token: callers log route, status, problem code and error names only.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'password-bff' });
