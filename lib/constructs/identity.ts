import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import type { ClientSettings, PasswordPolicySettings } from '../settings';

export interface SesEmailSettings {
  /** Verified SES identity to send from. */
  readonly fromEmail: string;
  readonly fromName?: string;
  readonly replyTo?: string;
  /** @default the stack's region */
  readonly sesRegion?: string;
  readonly configurationSetName?: string;
}

export interface IdentityProps {
  readonly passwordPolicy: PasswordPolicySettings;
  readonly client: ClientSettings;
  /** Groups to create; the first is the administrators' group. */
  readonly groupNames: readonly string[];
  /**
   * Keep the pool when the stack is deleted, and protect it from deletion.
   * @default true
   */
  readonly retain?: boolean;
  /**
   * Plus feature plan with threat protection enforced (compromised credentials, adaptive auth).
   * @default false
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
   */
  readonly threatProtection?: boolean;
  /**
   * Send email with SES rather than Cognito's default sender (50 mails a day).
   * @default - Cognito's default email
   */
  readonly ses?: SesEmailSettings;
}

/** The user pool, its confidential app client and its groups. */
export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: UserPoolGroup[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const p = props.passwordPolicy;
    const retain = props.retain ?? true;
    if (props.groupNames.length === 0) throw new Error('groupNames must hold at least the admins group');
    if (props.client.explicitAuthFlows.some((f) => !/^ALLOW_[A-Z_]+$/.test(f))) {
      throw new Error(`client.explicitAuthFlows: "${props.client.explicitAuthFlows.join(', ')}" must be ALLOW_* flows`);
    }

    this.userPool = new UserPool(this, 'UserPool', {
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
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OFF,
      deletionProtection: retain,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      featurePlan: props.threatProtection ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(props.threatProtection ? { standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      email: props.ses
        ? UserPoolEmail.withSES({
            fromEmail: props.ses.fromEmail,
            fromName: props.ses.fromName,
            replyTo: props.ses.replyTo,
            sesRegion: props.ses.sesRegion,
            configurationSetName: props.ses.configurationSetName,
          })
        : UserPoolEmail.withCognito(),
    });

    const c = props.client;
    const flows = new Set(c.explicitAuthFlows);
    this.client = this.userPool.addClient('Client', {
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
      readAttributes: new ClientAttributes().withStandardAttributes(standard(c.readAttributes)),
      writeAttributes: new ClientAttributes().withStandardAttributes(standard(c.writeAttributes)),
      preventUserExistenceErrors: c.preventUserExistenceErrors,
      enableTokenRevocation: true,
      enablePropagateAdditionalUserContextData: true,
      disableOAuth: true,
    });

    this.groups = props.groupNames.map(
      (groupName, i) =>
        new UserPoolGroup(this, i === 0 ? 'AdminsGroup' : `Group${i}`, {
          userPool: this.userPool,
          groupName,
          precedence: i,
          description: i === 0 ? 'Administrators of the password BFF' : undefined,
        }),
    );
  }
}

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
