import {
  AdminAddUserToGroupCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { toEnvironment } from '../../../lambdas/shared/config';
import { defaultSettings } from '../../../lambdas/shared/settings';
import type * as PostConfirmation from '../../../lambdas/triggers/post-confirmation/handler';

// Set before the handler module loads: it is imported dynamically, in beforeAll.
Object.assign(process.env, { POWERTOOLS_DEV: 'true', POWERTOOLS_LOG_LEVEL: 'CRITICAL' });

/** The trigger's environment as the configuration contract writes it. */
const env = toEnvironment(
  'postConfirmation',
  {
    ...defaultSettings,
    defaultGroupName: 'users',
    eventSource: 'password-bff',
    redirectAllowlist: ['https://app.example.com/'],
  },
  { eventBusName: 'audit-bus' },
);

const cognito = mockClient(CognitoIdentityProviderClient);
const events = mockClient(EventBridgeClient);
type Handler = (event: PostConfirmationTriggerEvent) => Promise<PostConfirmationTriggerEvent>;
let handler: Handler;

let create: typeof PostConfirmation.create;

beforeAll(async () => {
  create = (await import('../../../lambdas/triggers/post-confirmation/handler')).create;
});

beforeEach(() => {
  // A fresh instance per case: an instance publishes one audit event per confirmation (repeats are
  // post-confirmation-repeat.test.ts), and these cases confirm the same user again and again.
  handler = create(env) as unknown as Handler;
  cognito.reset();
  events.reset();
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminUserGlobalSignOutCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
});

function event(triggerSource: string, clientMetadata?: Record<string, string>): PostConfirmationTriggerEvent {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Pool',
    userName: 'a1b2-uuid',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-1' },
    triggerSource,
    request: {
      userAttributes: { sub: 'a1b2-uuid', email: 'jane@example.com', 'cognito:user_status': 'CONFIRMED' },
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: {},
  } as PostConfirmationTriggerEvent;
}

const detailOf = () => JSON.parse(events.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Detail ?? '{}');

describe('ConfirmSignUp', () => {
  it('adds the user to the default group and publishes UserConfirmed', async () => {
    const input = event('PostConfirmation_ConfirmSignUp', { locale: 'fr', app: 'Shop' });
    await expect(handler(input)).resolves.toBe(input);
    expect(cognito).toHaveReceivedCommandWith(AdminAddUserToGroupCommand, {
      UserPoolId: 'us-east-1_Pool',
      Username: 'a1b2-uuid',
      GroupName: 'users',
    });
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({ EventBusName: 'audit-bus', Source: 'password-bff', DetailType: 'UserConfirmed' }),
      ],
    });
    expect(detailOf()).toMatchObject({
      sub: 'a1b2-uuid',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      userPoolId: 'us-east-1_Pool',
      clientId: 'client-1',
      clientMetadata: { locale: 'fr', app: 'Shop' },
    });
    expect(detailOf().email).toBeUndefined();
  });

  it('fails the confirmation when the group cannot be added', async () => {
    cognito
      .on(AdminAddUserToGroupCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    await expect(handler(event('PostConfirmation_ConfirmSignUp'))).rejects.toThrow(/TooManyRequestsException/);
  });
});

describe('ConfirmForgotPassword', () => {
  it('signs the user out everywhere and publishes PasswordResetCompleted', async () => {
    await handler(event('PostConfirmation_ConfirmForgotPassword'));
    expect(cognito).toHaveReceivedCommandWith(AdminUserGlobalSignOutCommand, {
      UserPoolId: 'us-east-1_Pool',
      Username: 'a1b2-uuid',
    });
    expect(cognito).not.toHaveReceivedCommand(AdminAddUserToGroupCommand);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [expect.objectContaining({ DetailType: 'PasswordResetCompleted' })],
    });
  });

  it('fails when the sign-out fails, so old sessions are never silently kept', async () => {
    cognito.on(AdminUserGlobalSignOutCommand).rejects(new Error('boom'));
    await expect(handler(event('PostConfirmation_ConfirmForgotPassword'))).rejects.toThrow(/post-confirmation/);
  });
});

describe('audit event', () => {
  it('is best effort: a failing PutEvents does not fail the confirmation', async () => {
    events.on(PutEventsCommand).rejects(new Error('eventbridge down'));
    await expect(handler(event('PostConfirmation_ConfirmSignUp'))).resolves.toBeDefined();
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(handler(event('PostConfirmation_ConfirmSignUp'))).resolves.toBeDefined();
  });

  it('carries only known metadata keys and an allowlisted redirect, capped', async () => {
    await handler(
      event('PostConfirmation_ConfirmSignUp', {
        locale: 'x'.repeat(1000),
        redirectUri: 'https://evil.example/',
        password: 'Corr3ct-Horse-Battery!',
        code: '123456',
      }),
    );
    const detail = detailOf();
    expect(Object.keys(detail.clientMetadata)).toEqual(['locale']);
    expect(detail.clientMetadata.locale).toHaveLength(256);
    expect(JSON.stringify(detail)).not.toContain('Corr3ct');
  });

  it('ignores other trigger sources', async () => {
    const input = event('PostConfirmation_Unknown');
    await expect(handler(input)).resolves.toBe(input);
    expect(cognito.calls()).toHaveLength(0);
    expect(events.calls()).toHaveLength(0);
  });
});
