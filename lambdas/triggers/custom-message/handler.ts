/**
 * CustomMessage trigger: localized HTML email and SMS for every trigger source, built from
 * ClientMetadata that is validated again here (it can come from any caller of Cognito).
 */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { ADMIN_RESET_FLOW, loadConfig } from '../../shared/config';
import { lambdaFunction } from '../../shared/function';
import { logger } from '../../shared/logger';
import { scoped } from '../../shared/invocation';
import { currentMetrics, metricsEmitter } from '../../shared/metrics';
import type { MessageKind } from './locales';
import { LIMITS, type RenderConfig, type Rendered, fallback, render } from './templates';

const KINDS: Readonly<Record<string, MessageKind>> = {
  CustomMessage_SignUp: 'signUp',
  CustomMessage_ResendCode: 'resendCode',
  CustomMessage_ForgotPassword: 'forgotPassword',
  CustomMessage_UpdateUserAttribute: 'updateUserAttribute',
  CustomMessage_VerifyUserAttribute: 'verifyUserAttribute',
  CustomMessage_AdminCreateUser: 'adminCreateUser',
  CustomMessage_Authentication: 'authentication',
};

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Cognito's rules for an answer: code (and username) placeholders present, lengths in range. */
export function satisfiesCognito(r: Rendered, codeParameter: string, usernameParameter: string | null): boolean {
  const placeholders = [codeParameter, ...(usernameParameter ? [usernameParameter] : [])];
  return (
    r.emailSubject.length >= 1 &&
    r.emailSubject.length <= LIMITS.subject &&
    r.emailMessage.length <= LIMITS.email &&
    r.smsMessage.length <= LIMITS.sms &&
    placeholders.every((p) => r.emailMessage.includes(p) && r.smsMessage.includes(p))
  );
}

export function buildMessage(event: CustomMessageTriggerEvent, config: RenderConfig): Rendered | undefined {
  const base = KINDS[event.triggerSource];
  if (!base) return undefined;
  const request = event.request;
  const metadata = (request.clientMetadata ?? {}) as Record<string, unknown>;
  const attributes = (request.userAttributes ?? {}) as Record<string, unknown>;
  const codeParameter = request.codeParameter || '{####}';
  const usernameParameter = base === 'adminCreateUser' ? request.usernameParameter || '{username}' : null;
  const kind: MessageKind =
    base === 'forgotPassword' && metadata.flow === ADMIN_RESET_FLOW ? 'adminResetPassword' : base;
  try {
    const rendered = render(
      {
        kind,
        codeParameter,
        usernameParameter,
        locale: str(metadata.locale) ?? str(attributes.locale),
        redirectUri: str(metadata.redirectUri),
        linkUsername: str(attributes.email) ?? event.userName,
        name: str(attributes.name) ?? str(attributes.given_name),
        app: str(metadata.app),
      },
      config,
    );
    if (satisfiesCognito(rendered, codeParameter, usernameParameter)) {
      currentMetrics()?.count('MessagesSent', { triggerSource: event.triggerSource });
      return rendered;
    }
    logger.error('template broke a Cognito rule, sending the default message', { triggerSource: event.triggerSource });
  } catch (error) {
    logger.error('template failed, sending the default message', {
      triggerSource: event.triggerSource,
      errorName: (error as Error).name,
    });
  }
  const metrics = currentMetrics();
  metrics?.count('MessageFallbacks', { triggerSource: event.triggerSource });
  metrics?.count('MessagesSent', { triggerSource: event.triggerSource });
  return fallback(codeParameter, usernameParameter);
}

export const { handler, create } = lambdaFunction((env) => {
  const config: RenderConfig = loadConfig('customMessage', env);
  return scoped(metricsEmitter(env), async (event: CustomMessageTriggerEvent) => {
    const message = buildMessage(event, config);
    if (message) {
      event.response.emailSubject = message.emailSubject;
      event.response.emailMessage = message.emailMessage;
      event.response.smsMessage = message.smsMessage;
    }
    return event;
  });
});
