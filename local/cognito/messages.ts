/** A code's message as Cognito builds it (default text or CustomMessage trigger), put in the outbox. */
import { newId } from './crypto';
import type { Engine } from './engine';
import { CognitoError, type StoredPool, type StoredUser } from './model';
import { type ClientMetadata, invokeTrigger, triggerEvent } from './triggers';

/** Who gets a message, for what, and on whose behalf. */
export interface Delivery {
  pool: StoredPool;
  clientId: string;
  user: StoredUser;
  triggerSource: string;
  to: string;
  clientMetadata: ClientMetadata;
}

/** Cognito's CodeDeliveryDetails. */
export interface DeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL';
  AttributeName: 'email';
}

/**
 * Delivers a code by email like Cognito: CustomMessage trigger (if any) builds the text, the
 * placeholders are checked and replaced, the message goes to the outbox.
 */
export async function deliverCode(engine: Engine, args: Delivery & { code: string }): Promise<DeliveryDetails> {
  const { pool, user, triggerSource, code, to } = args;
  const adminCreate = triggerSource === 'CustomMessage_AdminCreateUser';
  const request = {
    codeParameter: '{####}',
    linkParameter: '{##Click Here##}',
    usernameParameter: adminCreate ? '{username}' : null,
  };
  let subject = adminCreate ? 'Your temporary password' : 'Your verification code';
  let body = adminCreate
    ? 'Your username is {username} and temporary password is {####}.'
    : 'Your verification code is {####}.';
  const arn = pool.lambdaConfig.CustomMessage;
  if (arn) {
    const event = triggerEvent(engine, pool, args.clientId, user, triggerSource, request, args.clientMetadata);
    event.response = { smsMessage: null, emailMessage: null, emailSubject: null };
    const answer = (await invokeTrigger(engine, 'CustomMessage', arn, event)) as typeof event | undefined;
    const response = answer?.response ?? {};
    const emailMessage = response.emailMessage;
    const emailSubject = response.emailSubject;
    if (typeof emailMessage === 'string') {
      const missing =
        !emailMessage.includes(request.codeParameter) || (adminCreate && !emailMessage.includes('{username}'));
      if (missing || emailMessage.length > 20_000) {
        throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: custom message');
      }
      body = emailMessage;
    }
    if (typeof emailSubject === 'string') {
      if (emailSubject.length < 1 || emailSubject.length > 140) {
        throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: email subject');
      }
      subject = emailSubject;
    }
    const sms = response.smsMessage;
    if (typeof sms === 'string' && (sms.length > 140 || !sms.includes(request.codeParameter))) {
      throw new CognitoError('InvalidLambdaResponseException', 'Invalid lambda response: sms message');
    }
  }
  const fill = (text: string) => text.replaceAll('{####}', code).replaceAll('{username}', user.username);
  engine.store.data.outbox.push({
    id: newId(),
    to,
    subject: fill(subject),
    body: fill(body),
    code,
    triggerSource,
    clientMetadata: args.clientMetadata ?? {},
    createdAt: new Date(engine.now()).toISOString(),
  });
  return { Destination: maskEmail(to), DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}

/** `jane.doe@example.com` -> `j***@e***`, as Cognito masks destinations. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}
