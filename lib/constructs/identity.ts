import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ClientSecret } from './client-secret';
import type { ClientSettings, EmailSettings, PasswordPolicySettings } from '../../lambdas/shared/settings';

/** The id of the synth warning about Cognito's built-in email (acknowledge it with this id). */
export const COGNITO_EMAIL_WARNING = '@password-bff/identity:cognito-default-email';

export interface IdentityProps {
  /** The pool's password policy. */
  readonly passwordPolicy: PasswordPolicySettings;
  /** The confidential app client the BFF uses: name, auth flows, attributes, token validities. */
  readonly client: ClientSettings;
  /** The group whose members may call the admin routes. */
  readonly adminGroupName: string;
  /** The group PostConfirmation adds every confirmed user to. */
  readonly defaultGroupName: string;
  /**
   * Keep the pool, its app client and its groups when the stack is deleted, and protect the pool
   * from deletion.
   * @default true
   */
  readonly retain?: boolean;
  /**
   * Cognito's feature plan.
   * @default 'essentials', as Cognito
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-sign-in-feature-plans.html
   */
  readonly featurePlan?: 'lite' | 'essentials' | 'plus';
  /**
   * Threat protection enforced (compromised credentials, adaptive auth). Needs the Plus plan.
   * @default false
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
   */
  readonly threatProtection?: boolean;
  /**
   * Send the pool's mail with Amazon SES rather than Cognito's built-in email (50 a day).
   * @default - Cognito's built-in email, with a synth warning
   */
  readonly email?: EmailSettings;
  /** Ship the client secret's installer function with a source map (bff:sourceMaps). @default false */
  readonly sourceMaps?: boolean;
}

/** The user pool, its confidential app client and its two groups. */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly adminGroup: UserPoolGroup;
  readonly defaultGroup: UserPoolGroup;
  /** The client's secret in Secrets Manager, installed on the client at creation (AddUserPoolClientSecret). */
  readonly clientSecret: ClientSecret;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    if (props.client.explicitAuthFlows.some((f) => !/^ALLOW_[A-Z_]+$/.test(f))) {
      throw new Error(`client.explicitAuthFlows: "${props.client.explicitAuthFlows.join(', ')}" must be ALLOW_* flows`);
    }
    if (props.threatProtection && props.featurePlan !== 'plus') {
      throw new Error(`threatProtection needs featurePlan "plus", got "${props.featurePlan ?? 'essentials'}"`);
    }
    if (props.featurePlan === 'lite') {
      // The client always rotates refresh tokens, which Lite does not include (nor password history).
      throw new Error(
        'featurePlan "lite" does not include refresh-token rotation (always on) or password history ' +
          `(passwordHistorySize ${props.passwordPolicy.passwordHistorySize}): use "essentials" or "plus"`,
      );
    }
    if (props.adminGroupName === props.defaultGroupName) {
      throw new Error(`adminGroupName and defaultGroupName must differ, both are "${props.adminGroupName}"`);
    }
    this.userPool = this.configureUserPool(props);
    this.client = this.configureClient(props.client);
    // The construct ids are a contract: `Group1` was a list index once, and renaming it would
    // replace the group and lose its members (pinned by test/lib/logical-ids.test.ts).
    this.adminGroup = new UserPoolGroup(this, 'AdminsGroup', {
      userPool: this.userPool,
      groupName: props.adminGroupName,
      precedence: 0,
      description: 'Administrators of the password BFF',
    });
    this.defaultGroup = new UserPoolGroup(this, 'Group1', {
      userPool: this.userPool,
      groupName: props.defaultGroupName,
      precedence: 1,
    });
    // What holds users' data lives and dies with the pool: a group's memberships die with the
    // group, and every refresh token (every session) with the app client.
    const removal = (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    for (const resource of [this.client, this.adminGroup, this.defaultGroup]) resource.applyRemovalPolicy(removal);
    // The client keeps its construct id and `generateSecret: true` (no replacement): the secret from Secrets
    // Manager is added beside the generated one (AddUserPoolClientSecret), never put in the client's template.
    this.clientSecret = new ClientSecret(this, 'ClientSecret', {
      userPool: this.userPool,
      client: this.client,
      retain: props.retain ?? true,
      sourceMaps: props.sourceMaps ?? false,
    });
    if (!props.email) this.warnCognitoEmail();
  }

  /** Cognito's built-in email is a development convenience; say so at every synth without SES. */
  private warnCognitoEmail(): void {
    Annotations.of(this.userPool).addWarningV2(
      COGNITO_EMAIL_WARNING,
      "The pool sends its mail with Cognito's built-in email, which sends at most 50 messages a day " +
        'per AWS account (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html): ' +
        'past that, sign-up codes and password resets are not delivered. For production, verify a sender ' +
        'in Amazon SES and set bff:email, e.g. -c bff:email=\'{"from":"no-reply@example.com"}\' ' +
        '(https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html).',
    );
  }

  private configureUserPool(props: IdentityProps): UserPool {
    const p = props.passwordPolicy;
    const retain = props.retain ?? true;
    return new UserPool(this, 'UserPool', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: p.minLength,
        requireLowercase: p.requireLowercase,
        requireUppercase: p.requireUppercase,
        requireDigits: p.requireDigits,
        requireSymbols: p.requireSymbols,
        tempPasswordValidity: Duration.days(p.tempPasswordValidityDays),
        // Left out at 0, so that a pool without history synthesizes as before.
        ...(p.passwordHistorySize > 0 ? { passwordHistorySize: p.passwordHistorySize } : {}),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OFF,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      featurePlan: PLANS[props.featurePlan ?? 'essentials'],
      ...(props.threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      email: props.email
        ? UserPoolEmail.withSES({
            fromEmail: props.email.from,
            fromName: props.email.fromName,
            replyTo: props.email.replyTo,
            // The stack's Region by default, also when it is only known at deploy time.
            sesRegion: props.email.sesRegion ?? Stack.of(this).region,
            configurationSetName: props.email.configurationSet,
            sesVerifiedDomain: props.email.verifiedDomain,
          })
        : UserPoolEmail.withCognito(),
    });
  }

  private configureClient(c: ClientSettings): UserPoolClient {
    const flows = new Set(c.explicitAuthFlows);
    return this.userPool.addClient('Client', {
      userPoolClientName: c.clientName,
      generateSecret: true,
      authFlows: {
        userPassword: flows.has('ALLOW_USER_PASSWORD_AUTH'),
        userSrp: flows.has('ALLOW_USER_SRP_AUTH'),
        custom: flows.has('ALLOW_CUSTOM_AUTH'),
        adminUserPassword: flows.has('ALLOW_ADMIN_USER_PASSWORD_AUTH'),
      },
      accessTokenValidity: Duration.minutes(c.tokenValidity.accessTokenMinutes),
      idTokenValidity: Duration.minutes(c.tokenValidity.idTokenMinutes),
      refreshTokenValidity: Duration.days(c.tokenValidity.refreshTokenDays),
      // Rotation: GetTokensFromRefreshToken returns a new refresh token (CDK then leaves out REFRESH_TOKEN_AUTH).
      refreshTokenRotationGracePeriod: Duration.seconds(c.refreshTokenRotationGraceSeconds),
      readAttributes: new ClientAttributes().withStandardAttributes(standard(c.readAttributes)),
      writeAttributes: new ClientAttributes().withStandardAttributes(standard(c.writeAttributes)),
      preventUserExistenceErrors: c.preventUserExistenceErrors,
      enableTokenRevocation: true,
      enablePropagateAdditionalUserContextData: true,
      disableOAuth: true,
    });
  }
}

const PLANS = { lite: FeaturePlan.LITE, essentials: FeaturePlan.ESSENTIALS, plus: FeaturePlan.PLUS } as const;

const STANDARD: Record<string, string> = {
  email: 'email',
  email_verified: 'emailVerified',
  name: 'fullname',
  locale: 'locale',
  given_name: 'givenName',
  family_name: 'familyName',
  phone_number: 'phoneNumber',
  phone_number_verified: 'phoneNumberVerified',
  preferred_username: 'preferredUsername',
  zoneinfo: 'timezone',
};

function standard(names: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const name of names) {
    const key = STANDARD[name];
    if (!key) throw new Error(`client attributes: "${name}" is not a supported standard attribute`);
    out[key] = true;
  }
  return out;
}
