/**
 * The input shapes of the operations the local Cognito serves, as Cognito's API model declares them:
 * each member's JSON type, the required members, lengths, ranges, patterns and enums. Transcribed
 * from the Cognito Identity Provider API model (cognito-idp 2016-04-18, the service-2.json every AWS
 * SDK is generated from); the request syntax and constraints on each operation's API reference page
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_<Operation>.html)
 * say the same. {@link ./validate.ts} checks every request against them before an operation runs.
 *
 * One deliberate difference from the model: PasswordType. The model says `[\S]+` (no space at all,
 * Cognito's rule until about 2023), but Cognito now takes a space inside a password, not at either
 * end, and names the pattern `^[\S]+.*[\S]+$` when it refuses one (the password requirements in
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html ;
 * field reports: aws-amplify/amplify-swift#3129, cds-snc/platform-forms-client#5635).
 */

export interface StringShape {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  /** Matched against the whole value, as Cognito does. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** The value is left out of validation messages. */
  readonly sensitive?: boolean;
}
export interface IntegerShape {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanShape {
  readonly type: 'boolean';
}
export interface ListShape {
  readonly type: 'list';
  readonly member: string;
  readonly min?: number;
  readonly max?: number;
}
export interface MapShape {
  readonly type: 'map';
  readonly key: string;
  readonly value: string;
  readonly min?: number;
  readonly max?: number;
}
export interface StructureShape {
  readonly type: 'structure';
  readonly members: Readonly<Record<string, string>>;
  readonly required: readonly string[];
}
export type Shape = StringShape | IntegerShape | BooleanShape | ListShape | MapShape | StructureShape;

type Bounds = { readonly min?: number; readonly max?: number };
const string = (o: Omit<StringShape, 'type'> = {}): StringShape => ({ type: 'string', ...o });
const integer = (o: Bounds = {}): IntegerShape => ({ type: 'integer', ...o });
const boolean = (): BooleanShape => ({ type: 'boolean' });
const list = (member: string, o: Bounds = {}): ListShape => ({ type: 'list', member, ...o });
const map = (key: string, value: string, o: Bounds = {}): MapShape => ({ type: 'map', key, value, ...o });
const structure = (members: Record<string, string>, required: readonly string[] = []): StructureShape => ({
  type: 'structure',
  members,
  required,
});

/** Every shape reachable from the inputs below, by the model's shape name. */
export const SHAPES: Readonly<Record<string, Shape>> = {
  AccessTokenValidityType: integer({ min: 1, max: 86400 }),
  AccountRecoverySettingType: structure({ RecoveryMechanisms: 'RecoveryMechanismsType' }),
  AdminAddUserToGroupRequest: structure(
    { UserPoolId: 'UserPoolIdType', Username: 'UsernameType', GroupName: 'GroupNameType' },
    ['UserPoolId', 'Username', 'GroupName'],
  ),
  AdminConfirmSignUpRequest: structure(
    { UserPoolId: 'UserPoolIdType', Username: 'UsernameType', ClientMetadata: 'ClientMetadataType' },
    ['UserPoolId', 'Username'],
  ),
  AdminCreateUserConfigType: structure({
    AllowAdminCreateUserOnly: 'BooleanType',
    UnusedAccountValidityDays: 'AdminCreateUserUnusedAccountValidityDaysType',
    InviteMessageTemplate: 'MessageTemplateType',
  }),
  AdminCreateUserRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      Username: 'UsernameType',
      UserAttributes: 'AttributeListType',
      ValidationData: 'AttributeListType',
      TemporaryPassword: 'PasswordType',
      ForceAliasCreation: 'ForceAliasCreation',
      MessageAction: 'MessageActionType',
      DesiredDeliveryMediums: 'DeliveryMediumListType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['UserPoolId', 'Username'],
  ),
  AdminCreateUserUnusedAccountValidityDaysType: integer({ min: 0, max: 365 }),
  AdminDeleteUserRequest: structure({ UserPoolId: 'UserPoolIdType', Username: 'UsernameType' }, [
    'UserPoolId',
    'Username',
  ]),
  AdminDisableUserRequest: structure({ UserPoolId: 'UserPoolIdType', Username: 'UsernameType' }, [
    'UserPoolId',
    'Username',
  ]),
  AdminEnableUserRequest: structure({ UserPoolId: 'UserPoolIdType', Username: 'UsernameType' }, [
    'UserPoolId',
    'Username',
  ]),
  AdminGetUserRequest: structure({ UserPoolId: 'UserPoolIdType', Username: 'UsernameType' }, [
    'UserPoolId',
    'Username',
  ]),
  AdminListGroupsForUserRequest: structure(
    { Username: 'UsernameType', UserPoolId: 'UserPoolIdType', Limit: 'QueryLimitType', NextToken: 'PaginationKey' },
    ['Username', 'UserPoolId'],
  ),
  AdminRemoveUserFromGroupRequest: structure(
    { UserPoolId: 'UserPoolIdType', Username: 'UsernameType', GroupName: 'GroupNameType' },
    ['UserPoolId', 'Username', 'GroupName'],
  ),
  AdminResetUserPasswordRequest: structure(
    { UserPoolId: 'UserPoolIdType', Username: 'UsernameType', ClientMetadata: 'ClientMetadataType' },
    ['UserPoolId', 'Username'],
  ),
  AdminSetUserPasswordRequest: structure(
    { UserPoolId: 'UserPoolIdType', Username: 'UsernameType', Password: 'PasswordType', Permanent: 'BooleanType' },
    ['UserPoolId', 'Username', 'Password'],
  ),
  AdminUpdateUserAttributesRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      Username: 'UsernameType',
      UserAttributes: 'AttributeListType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['UserPoolId', 'Username', 'UserAttributes'],
  ),
  AdminUserGlobalSignOutRequest: structure({ UserPoolId: 'UserPoolIdType', Username: 'UsernameType' }, [
    'UserPoolId',
    'Username',
  ]),
  AdvancedSecurityAdditionalFlowsType: structure({ CustomAuthMode: 'AdvancedSecurityEnabledModeType' }),
  AdvancedSecurityEnabledModeType: string({ enum: ['AUDIT', 'ENFORCED'] }),
  AdvancedSecurityModeType: string({ enum: ['OFF', 'AUDIT', 'ENFORCED'] }),
  AliasAttributeType: string({ enum: ['phone_number', 'email', 'preferred_username'] }),
  AliasAttributesListType: list('AliasAttributeType'),
  AllowedFirstAuthFactorsListType: list('AuthFactorType', { min: 1, max: 5 }),
  AnalyticsConfigurationType: structure({
    ApplicationId: 'HexStringType',
    ApplicationArn: 'ArnType',
    RoleArn: 'ArnType',
    ExternalId: 'StringType',
    UserDataShared: 'BooleanType',
  }),
  AnalyticsMetadataType: structure({ AnalyticsEndpointId: 'StringType' }),
  ArnType: string({
    min: 20,
    max: 2048,
    pattern: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
  }),
  AttributeDataType: string({ enum: ['String', 'Number', 'DateTime', 'Boolean'] }),
  AttributeListType: list('AttributeType'),
  AttributeNameType: string({ min: 1, max: 32, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r ]+' }),
  AttributeType: structure({ Name: 'AttributeNameType', Value: 'AttributeValueType' }, ['Name']),
  AttributeValueType: string({ max: 2048, sensitive: true }),
  AttributesRequireVerificationBeforeUpdateType: list('VerifiedAttributeType'),
  AuthFactorType: string({ enum: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN', 'SOFTWARE_TOKEN'] }),
  AuthFlowType: string({
    enum: [
      'USER_SRP_AUTH',
      'REFRESH_TOKEN_AUTH',
      'REFRESH_TOKEN',
      'CUSTOM_AUTH',
      'ADMIN_NO_SRP_AUTH',
      'USER_PASSWORD_AUTH',
      'ADMIN_USER_PASSWORD_AUTH',
      'USER_AUTH',
    ],
  }),
  AuthParametersType: map('StringType', 'StringType'),
  AuthSessionValidityType: integer({ min: 3, max: 15 }),
  BooleanType: boolean(),
  CallbackURLsListType: list('RedirectUrlType', { min: 0, max: 100 }),
  ChallengeNameType: string({
    enum: [
      'SMS_MFA',
      'EMAIL_OTP',
      'SOFTWARE_TOKEN_MFA',
      'SELECT_MFA_TYPE',
      'MFA_SETUP',
      'PASSWORD_VERIFIER',
      'CUSTOM_CHALLENGE',
      'SELECT_CHALLENGE',
      'DEVICE_SRP_AUTH',
      'DEVICE_PASSWORD_VERIFIER',
      'ADMIN_NO_SRP_AUTH',
      'NEW_PASSWORD_REQUIRED',
      'SMS_OTP',
      'PASSWORD',
      'WEB_AUTHN',
      'PASSWORD_SRP',
    ],
  }),
  ChallengeResponsesType: map('StringType', 'StringType'),
  ChangePasswordRequest: structure(
    { PreviousPassword: 'PasswordType', ProposedPassword: 'PasswordType', AccessToken: 'TokenModelType' },
    ['ProposedPassword', 'AccessToken'],
  ),
  ClientIdType: string({ min: 1, max: 128, pattern: '[\\w+]+', sensitive: true }),
  ClientMetadataType: map('StringType', 'StringType'),
  ClientNameType: string({ min: 1, max: 128, pattern: '[\\w\\s+=,.@-]+' }),
  ClientPermissionListType: list('ClientPermissionType'),
  ClientPermissionType: string({ min: 1, max: 2048 }),
  ClientSecretIdType: string({ min: 1, max: 128 }),
  ClientSecretType: string({ min: 24, max: 64, pattern: '[\\w+]+', sensitive: true }),
  ConfirmForgotPasswordRequest: structure(
    {
      ClientId: 'ClientIdType',
      SecretHash: 'SecretHashType',
      Username: 'UsernameType',
      ConfirmationCode: 'ConfirmationCodeType',
      Password: 'PasswordType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      UserContextData: 'UserContextDataType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['ClientId', 'Username', 'ConfirmationCode', 'Password'],
  ),
  ConfirmSignUpRequest: structure(
    {
      ClientId: 'ClientIdType',
      SecretHash: 'SecretHashType',
      Username: 'UsernameType',
      ConfirmationCode: 'ConfirmationCodeType',
      ForceAliasCreation: 'ForceAliasCreation',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      UserContextData: 'UserContextDataType',
      ClientMetadata: 'ClientMetadataType',
      Session: 'SessionType',
    },
    ['ClientId', 'Username', 'ConfirmationCode'],
  ),
  ConfirmationCodeType: string({ min: 1, max: 2048, pattern: '[\\S]+' }),
  CreateGroupRequest: structure(
    {
      GroupName: 'GroupNameType',
      UserPoolId: 'UserPoolIdType',
      Description: 'DescriptionType',
      RoleArn: 'ArnType',
      Precedence: 'PrecedenceType',
    },
    ['GroupName', 'UserPoolId'],
  ),
  CreateUserPoolClientRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      ClientName: 'ClientNameType',
      GenerateSecret: 'GenerateSecret',
      ClientSecret: 'ClientSecretType',
      RefreshTokenValidity: 'RefreshTokenValidityType',
      AccessTokenValidity: 'AccessTokenValidityType',
      IdTokenValidity: 'IdTokenValidityType',
      TokenValidityUnits: 'TokenValidityUnitsType',
      ReadAttributes: 'ClientPermissionListType',
      WriteAttributes: 'ClientPermissionListType',
      ExplicitAuthFlows: 'ExplicitAuthFlowsListType',
      SupportedIdentityProviders: 'SupportedIdentityProvidersListType',
      CallbackURLs: 'CallbackURLsListType',
      LogoutURLs: 'LogoutURLsListType',
      DefaultRedirectURI: 'RedirectUrlType',
      AllowedOAuthFlows: 'OAuthFlowsType',
      AllowedOAuthScopes: 'ScopeListType',
      AllowedOAuthFlowsUserPoolClient: 'BooleanType',
      AnalyticsConfiguration: 'AnalyticsConfigurationType',
      PreventUserExistenceErrors: 'PreventUserExistenceErrorTypes',
      EnableTokenRevocation: 'WrappedBooleanType',
      EnablePropagateAdditionalUserContextData: 'WrappedBooleanType',
      AuthSessionValidity: 'AuthSessionValidityType',
      RefreshTokenRotation: 'RefreshTokenRotationType',
    },
    ['UserPoolId', 'ClientName'],
  ),
  CreateUserPoolRequest: structure(
    {
      PoolName: 'UserPoolNameType',
      Policies: 'UserPoolPolicyType',
      DeletionProtection: 'DeletionProtectionType',
      LambdaConfig: 'LambdaConfigType',
      AutoVerifiedAttributes: 'VerifiedAttributesListType',
      AliasAttributes: 'AliasAttributesListType',
      UsernameAttributes: 'UsernameAttributesListType',
      SmsVerificationMessage: 'SmsVerificationMessageType',
      EmailVerificationMessage: 'EmailVerificationMessageType',
      EmailVerificationSubject: 'EmailVerificationSubjectType',
      VerificationMessageTemplate: 'VerificationMessageTemplateType',
      SmsAuthenticationMessage: 'SmsVerificationMessageType',
      MfaConfiguration: 'UserPoolMfaType',
      UserAttributeUpdateSettings: 'UserAttributeUpdateSettingsType',
      DeviceConfiguration: 'DeviceConfigurationType',
      EmailConfiguration: 'EmailConfigurationType',
      SmsConfiguration: 'SmsConfigurationType',
      UserPoolTags: 'UserPoolTagsType',
      AdminCreateUserConfig: 'AdminCreateUserConfigType',
      Schema: 'SchemaAttributesListType',
      UserPoolAddOns: 'UserPoolAddOnsType',
      UsernameConfiguration: 'UsernameConfigurationType',
      AccountRecoverySetting: 'AccountRecoverySettingType',
      UserPoolTier: 'UserPoolTierType',
      KeyConfiguration: 'KeyConfigurationType',
      IssuerConfiguration: 'IssuerConfigurationType',
    },
    ['PoolName'],
  ),
  CustomAttributeNameType: string({ min: 1, max: 20, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' }),
  CustomEmailLambdaVersionConfigType: structure(
    { LambdaVersion: 'CustomEmailSenderLambdaVersionType', LambdaArn: 'ArnType' },
    ['LambdaVersion', 'LambdaArn'],
  ),
  CustomEmailSenderLambdaVersionType: string({ enum: ['V1_0'] }),
  CustomSMSLambdaVersionConfigType: structure(
    { LambdaVersion: 'CustomSMSSenderLambdaVersionType', LambdaArn: 'ArnType' },
    ['LambdaVersion', 'LambdaArn'],
  ),
  CustomSMSSenderLambdaVersionType: string({ enum: ['V1_0'] }),
  DefaultEmailOptionType: string({ enum: ['CONFIRM_WITH_LINK', 'CONFIRM_WITH_CODE'] }),
  AddUserPoolClientSecretRequest: structure(
    { UserPoolId: 'UserPoolIdType', ClientId: 'ClientIdType', ClientSecret: 'ClientSecretType' },
    ['UserPoolId', 'ClientId'],
  ),
  ListUserPoolClientSecretsRequest: structure(
    { UserPoolId: 'UserPoolIdType', ClientId: 'ClientIdType', NextToken: 'PaginationKey' },
    ['UserPoolId', 'ClientId'],
  ),
  DeleteUserPoolClientSecretRequest: structure(
    { UserPoolId: 'UserPoolIdType', ClientId: 'ClientIdType', ClientSecretId: 'ClientSecretIdType' },
    ['UserPoolId', 'ClientId', 'ClientSecretId'],
  ),
  DeleteUserPoolClientRequest: structure({ UserPoolId: 'UserPoolIdType', ClientId: 'ClientIdType' }, [
    'UserPoolId',
    'ClientId',
  ]),
  DeleteUserRequest: structure({ AccessToken: 'TokenModelType' }, ['AccessToken']),
  DeletionProtectionType: string({ enum: ['ACTIVE', 'INACTIVE'] }),
  DeliveryMediumListType: list('DeliveryMediumType'),
  DeliveryMediumType: string({ enum: ['SMS', 'EMAIL'] }),
  DescribeUserPoolClientRequest: structure({ UserPoolId: 'UserPoolIdType', ClientId: 'ClientIdType' }, [
    'UserPoolId',
    'ClientId',
  ]),
  DescribeUserPoolRequest: structure({ UserPoolId: 'UserPoolIdType' }, ['UserPoolId']),
  DescriptionType: string({ max: 2048 }),
  DeviceConfigurationType: structure({
    ChallengeRequiredOnNewDevice: 'BooleanType',
    DeviceOnlyRememberedOnUserPrompt: 'BooleanType',
  }),
  DeviceKeyType: string({ min: 1, max: 55, pattern: '[\\w-]+_[0-9a-f-]+' }),
  EmailAddressType: string({ pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+@[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' }),
  EmailConfigurationType: structure({
    SourceArn: 'ArnType',
    ReplyToEmailAddress: 'EmailAddressType',
    EmailSendingAccount: 'EmailSendingAccountType',
    From: 'StringType',
    ConfigurationSet: 'SESConfigurationSet',
  }),
  EmailInviteMessageType: string({ min: 6, max: 20000, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*' }),
  EmailSendingAccountType: string({ enum: ['COGNITO_DEFAULT', 'DEVELOPER'] }),
  EmailVerificationMessageByLinkType: string({
    min: 6,
    max: 20000,
    pattern:
      '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{##[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*##\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*',
  }),
  EmailVerificationMessageType: string({
    min: 6,
    max: 20000,
    pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*',
  }),
  EmailVerificationSubjectByLinkType: string({ min: 1, max: 140, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+' }),
  EmailVerificationSubjectType: string({ min: 1, max: 140, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s]+' }),
  EncryptionKeyArnType: string({
    min: 20,
    max: 2048,
    pattern: 'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?',
  }),
  EncryptionKeyType: string({ enum: ['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KEY'] }),
  EumsSmsConfigurationType: structure(
    {
      CallerArn: 'ArnType',
      ExternalId: 'StringType',
      OriginationIdentity: 'StringType',
      ConfigurationSetName: 'StringType',
      InEntityId: 'StringType',
      InTemplateId: 'StringType',
      Region: 'RegionCodeType',
    },
    ['CallerArn'],
  ),
  ExplicitAuthFlowsListType: list('ExplicitAuthFlowsType'),
  ExplicitAuthFlowsType: string({
    enum: [
      'ADMIN_NO_SRP_AUTH',
      'CUSTOM_AUTH_FLOW_ONLY',
      'USER_PASSWORD_AUTH',
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_AUTH',
    ],
  }),
  FeatureType: string({ enum: ['ENABLED', 'DISABLED'] }),
  ForceAliasCreation: boolean(),
  ForgotPasswordRequest: structure(
    {
      ClientId: 'ClientIdType',
      SecretHash: 'SecretHashType',
      UserContextData: 'UserContextDataType',
      Username: 'UsernameType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['ClientId', 'Username'],
  ),
  GenerateSecret: boolean(),
  GetGroupRequest: structure({ GroupName: 'GroupNameType', UserPoolId: 'UserPoolIdType' }, ['GroupName', 'UserPoolId']),
  GetTokensFromRefreshTokenRequest: structure(
    {
      RefreshToken: 'TokenModelType',
      ClientId: 'ClientIdType',
      ClientSecret: 'ClientSecretType',
      DeviceKey: 'DeviceKeyType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['RefreshToken', 'ClientId'],
  ),
  GetUserAttributeVerificationCodeRequest: structure(
    { AccessToken: 'TokenModelType', AttributeName: 'AttributeNameType', ClientMetadata: 'ClientMetadataType' },
    ['AccessToken', 'AttributeName'],
  ),
  GetUserRequest: structure({ AccessToken: 'TokenModelType' }, ['AccessToken']),
  GlobalSignOutRequest: structure({ AccessToken: 'TokenModelType' }, ['AccessToken']),
  GroupNameType: string({ min: 1, max: 128, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' }),
  HexStringType: string({ pattern: '^[0-9a-fA-F]+$' }),
  IdTokenValidityType: integer({ min: 1, max: 86400 }),
  InboundFederationLambdaType: structure(
    { LambdaVersion: 'InboundFederationLambdaVersionType', LambdaArn: 'ArnType' },
    ['LambdaVersion', 'LambdaArn'],
  ),
  InboundFederationLambdaVersionType: string({ enum: ['V1_0'] }),
  InitiateAuthRequest: structure(
    {
      AuthFlow: 'AuthFlowType',
      AuthParameters: 'AuthParametersType',
      ClientMetadata: 'ClientMetadataType',
      ClientId: 'ClientIdType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      UserContextData: 'UserContextDataType',
      Session: 'SessionType',
    },
    ['AuthFlow', 'ClientId'],
  ),
  IssuerConfigurationType: structure({ Type: 'IssuerType' }),
  IssuerType: string({ enum: ['ORIGINAL', 'UPDATED'] }),
  KeyConfigurationType: structure({ KeyType: 'EncryptionKeyType', KmsKeyArn: 'EncryptionKeyArnType' }),
  LambdaConfigType: structure({
    PreSignUp: 'ArnType',
    CustomMessage: 'ArnType',
    PostConfirmation: 'ArnType',
    PreAuthentication: 'ArnType',
    PostAuthentication: 'ArnType',
    DefineAuthChallenge: 'ArnType',
    CreateAuthChallenge: 'ArnType',
    VerifyAuthChallengeResponse: 'ArnType',
    PreTokenGeneration: 'ArnType',
    UserMigration: 'ArnType',
    PreTokenGenerationConfig: 'PreTokenGenerationVersionConfigType',
    CustomSMSSender: 'CustomSMSLambdaVersionConfigType',
    CustomEmailSender: 'CustomEmailLambdaVersionConfigType',
    KMSKeyID: 'ArnType',
    InboundFederation: 'InboundFederationLambdaType',
  }),
  ListGroupsRequest: structure({ UserPoolId: 'UserPoolIdType', Limit: 'QueryLimitType', NextToken: 'PaginationKey' }, [
    'UserPoolId',
  ]),
  ListUserPoolClientsRequest: structure(
    { UserPoolId: 'UserPoolIdType', MaxResults: 'QueryLimit', NextToken: 'PaginationKey' },
    ['UserPoolId'],
  ),
  ListUserPoolsRequest: structure({ NextToken: 'PaginationKeyType', MaxResults: 'PoolQueryLimitType' }, ['MaxResults']),
  ListUsersInGroupRequest: structure(
    { UserPoolId: 'UserPoolIdType', GroupName: 'GroupNameType', Limit: 'QueryLimitType', NextToken: 'PaginationKey' },
    ['UserPoolId', 'GroupName'],
  ),
  ListUsersRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      AttributesToGet: 'SearchedAttributeNamesListType',
      Limit: 'QueryLimitType',
      PaginationToken: 'SearchPaginationTokenType',
      Filter: 'UserFilterType',
    },
    ['UserPoolId'],
  ),
  LogoutURLsListType: list('RedirectUrlType', { min: 0, max: 100 }),
  MessageActionType: string({ enum: ['RESEND', 'SUPPRESS'] }),
  MessageTemplateType: structure({
    SMSMessage: 'SmsInviteMessageType',
    EmailMessage: 'EmailInviteMessageType',
    EmailSubject: 'EmailVerificationSubjectType',
  }),
  NumberAttributeConstraintsType: structure({ MinValue: 'StringType', MaxValue: 'StringType' }),
  OAuthFlowType: string({ enum: ['code', 'implicit', 'client_credentials'] }),
  OAuthFlowsType: list('OAuthFlowType', { min: 0, max: 3 }),
  OptionalArnType: string({
    min: 0,
    max: 2048,
    pattern:
      '(arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?)?',
  }),
  PaginationKey: string({ min: 1, max: 131072, pattern: '[\\S]+' }),
  PaginationKeyType: string({ min: 1, pattern: '[\\S]+' }),
  PasswordHistorySizeType: integer({ min: 0, max: 24 }),
  PasswordPolicyMinLengthType: integer({ min: 6, max: 99 }),
  PasswordPolicyType: structure({
    MinimumLength: 'PasswordPolicyMinLengthType',
    RequireUppercase: 'BooleanType',
    RequireLowercase: 'BooleanType',
    RequireNumbers: 'BooleanType',
    RequireSymbols: 'BooleanType',
    PasswordHistorySize: 'PasswordHistorySizeType',
    TemporaryPasswordValidityDays: 'TemporaryPasswordValidityDaysType',
  }),
  PasswordType: string({ max: 256, pattern: '^[\\S]+.*[\\S]+$', sensitive: true }),
  PoolQueryLimitType: integer({ min: 1, max: 60 }),
  PreTokenGenerationLambdaVersionType: string({ enum: ['V1_0', 'V2_0', 'V3_0'] }),
  PreTokenGenerationVersionConfigType: structure(
    { LambdaVersion: 'PreTokenGenerationLambdaVersionType', LambdaArn: 'ArnType' },
    ['LambdaVersion', 'LambdaArn'],
  ),
  PrecedenceType: integer({ min: 0 }),
  PreventUserExistenceErrorTypes: string({ enum: ['LEGACY', 'ENABLED'] }),
  PriorityType: integer({ min: 1, max: 2 }),
  ProviderNameType: string({ min: 1, max: 32, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\p{Z}]+' }),
  QueryLimit: integer({ min: 1, max: 60 }),
  QueryLimitType: integer({ min: 0, max: 60 }),
  RecoveryMechanismsType: list('RecoveryOptionType', { min: 1, max: 2 }),
  RecoveryOptionNameType: string({ enum: ['verified_email', 'verified_phone_number', 'admin_only'] }),
  RecoveryOptionType: structure({ Priority: 'PriorityType', Name: 'RecoveryOptionNameType' }, ['Priority', 'Name']),
  RedirectUrlType: string({ min: 1, max: 1024, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+' }),
  RefreshTokenRotationType: structure(
    { Feature: 'FeatureType', RetryGracePeriodSeconds: 'RetryGracePeriodSecondsType' },
    ['Feature'],
  ),
  RefreshTokenValidityType: integer({ min: 0, max: 315360000 }),
  RegionCodeType: string({ min: 5, max: 32 }),
  ResendConfirmationCodeRequest: structure(
    {
      ClientId: 'ClientIdType',
      SecretHash: 'SecretHashType',
      UserContextData: 'UserContextDataType',
      Username: 'UsernameType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['ClientId', 'Username'],
  ),
  RespondToAuthChallengeRequest: structure(
    {
      ClientId: 'ClientIdType',
      ChallengeName: 'ChallengeNameType',
      Session: 'SessionType',
      ChallengeResponses: 'ChallengeResponsesType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      UserContextData: 'UserContextDataType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['ClientId', 'ChallengeName'],
  ),
  RetryGracePeriodSecondsType: integer({ min: 0, max: 60 }),
  RevokeTokenRequest: structure(
    { Token: 'TokenModelType', ClientId: 'ClientIdType', ClientSecret: 'ClientSecretType' },
    ['Token', 'ClientId'],
  ),
  SESConfigurationSet: string({ min: 1, max: 64, pattern: '^[a-zA-Z0-9_-]+$' }),
  SchemaAttributeType: structure({
    Name: 'CustomAttributeNameType',
    AttributeDataType: 'AttributeDataType',
    DeveloperOnlyAttribute: 'BooleanType',
    Mutable: 'BooleanType',
    Required: 'BooleanType',
    NumberAttributeConstraints: 'NumberAttributeConstraintsType',
    StringAttributeConstraints: 'StringAttributeConstraintsType',
  }),
  SchemaAttributesListType: list('SchemaAttributeType', { min: 1, max: 50 }),
  ScopeListType: list('ScopeType', { max: 50 }),
  ScopeType: string({ min: 1, max: 256, pattern: '[\\x21\\x23-\\x5B\\x5D-\\x7E]+' }),
  SearchPaginationTokenType: string({ min: 1, pattern: '[\\S]+' }),
  SearchedAttributeNamesListType: list('AttributeNameType'),
  SecretHashType: string({ min: 1, max: 128, pattern: '[\\w+=/]+', sensitive: true }),
  SessionType: string({ min: 20, max: 2048, sensitive: true }),
  SignInPolicyType: structure({ AllowedFirstAuthFactors: 'AllowedFirstAuthFactorsListType' }),
  SignUpRequest: structure(
    {
      ClientId: 'ClientIdType',
      SecretHash: 'SecretHashType',
      Username: 'UsernameType',
      Password: 'PasswordType',
      UserAttributes: 'AttributeListType',
      ValidationData: 'AttributeListType',
      AnalyticsMetadata: 'AnalyticsMetadataType',
      UserContextData: 'UserContextDataType',
      ClientMetadata: 'ClientMetadataType',
    },
    ['ClientId', 'Username'],
  ),
  SmsConfigurationType: structure({
    SnsCallerArn: 'OptionalArnType',
    ExternalId: 'StringType',
    SnsRegion: 'RegionCodeType',
    EumsSms: 'EumsSmsConfigurationType',
  }),
  SmsInviteMessageType: string({ min: 6, max: 140, pattern: '[\\s\\S]*' }),
  SmsVerificationMessageType: string({ min: 6, max: 140, pattern: '.*\\{####\\}.*' }),
  StringAttributeConstraintsType: structure({ MinLength: 'StringType', MaxLength: 'StringType' }),
  StringType: string({ min: 0, max: 131072 }),
  SupportedIdentityProvidersListType: list('ProviderNameType'),
  TagKeysType: string({ min: 1, max: 128 }),
  TagValueType: string({ min: 0, max: 256 }),
  TemporaryPasswordValidityDaysType: integer({ min: 0, max: 365 }),
  TimeUnitsType: string({ enum: ['seconds', 'minutes', 'hours', 'days'] }),
  TokenModelType: string({ pattern: '[A-Za-z0-9-_=.]+', sensitive: true }),
  TokenValidityUnitsType: structure({
    AccessToken: 'TimeUnitsType',
    IdToken: 'TimeUnitsType',
    RefreshToken: 'TimeUnitsType',
  }),
  UpdateUserAttributesRequest: structure(
    { UserAttributes: 'AttributeListType', AccessToken: 'TokenModelType', ClientMetadata: 'ClientMetadataType' },
    ['UserAttributes', 'AccessToken'],
  ),
  UpdateUserPoolClientRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      ClientId: 'ClientIdType',
      ClientName: 'ClientNameType',
      RefreshTokenValidity: 'RefreshTokenValidityType',
      AccessTokenValidity: 'AccessTokenValidityType',
      IdTokenValidity: 'IdTokenValidityType',
      TokenValidityUnits: 'TokenValidityUnitsType',
      ReadAttributes: 'ClientPermissionListType',
      WriteAttributes: 'ClientPermissionListType',
      ExplicitAuthFlows: 'ExplicitAuthFlowsListType',
      SupportedIdentityProviders: 'SupportedIdentityProvidersListType',
      CallbackURLs: 'CallbackURLsListType',
      LogoutURLs: 'LogoutURLsListType',
      DefaultRedirectURI: 'RedirectUrlType',
      AllowedOAuthFlows: 'OAuthFlowsType',
      AllowedOAuthScopes: 'ScopeListType',
      AllowedOAuthFlowsUserPoolClient: 'BooleanType',
      AnalyticsConfiguration: 'AnalyticsConfigurationType',
      PreventUserExistenceErrors: 'PreventUserExistenceErrorTypes',
      EnableTokenRevocation: 'WrappedBooleanType',
      EnablePropagateAdditionalUserContextData: 'WrappedBooleanType',
      AuthSessionValidity: 'AuthSessionValidityType',
      RefreshTokenRotation: 'RefreshTokenRotationType',
    },
    ['UserPoolId', 'ClientId'],
  ),
  UpdateUserPoolRequest: structure(
    {
      UserPoolId: 'UserPoolIdType',
      Policies: 'UserPoolPolicyType',
      DeletionProtection: 'DeletionProtectionType',
      LambdaConfig: 'LambdaConfigType',
      AutoVerifiedAttributes: 'VerifiedAttributesListType',
      SmsVerificationMessage: 'SmsVerificationMessageType',
      EmailVerificationMessage: 'EmailVerificationMessageType',
      EmailVerificationSubject: 'EmailVerificationSubjectType',
      VerificationMessageTemplate: 'VerificationMessageTemplateType',
      SmsAuthenticationMessage: 'SmsVerificationMessageType',
      UserAttributeUpdateSettings: 'UserAttributeUpdateSettingsType',
      MfaConfiguration: 'UserPoolMfaType',
      DeviceConfiguration: 'DeviceConfigurationType',
      EmailConfiguration: 'EmailConfigurationType',
      SmsConfiguration: 'SmsConfigurationType',
      UserPoolTags: 'UserPoolTagsType',
      AdminCreateUserConfig: 'AdminCreateUserConfigType',
      UserPoolAddOns: 'UserPoolAddOnsType',
      AccountRecoverySetting: 'AccountRecoverySettingType',
      PoolName: 'UserPoolNameType',
      UserPoolTier: 'UserPoolTierType',
      KeyConfiguration: 'KeyConfigurationType',
      IssuerConfiguration: 'IssuerConfigurationType',
    },
    ['UserPoolId'],
  ),
  UserAttributeUpdateSettingsType: structure({
    AttributesRequireVerificationBeforeUpdate: 'AttributesRequireVerificationBeforeUpdateType',
  }),
  UserContextDataType: structure({ IpAddress: 'StringType', EncodedData: 'StringType' }),
  UserFilterType: string({ max: 256 }),
  UserPoolAddOnsType: structure(
    {
      AdvancedSecurityMode: 'AdvancedSecurityModeType',
      AdvancedSecurityAdditionalFlows: 'AdvancedSecurityAdditionalFlowsType',
    },
    ['AdvancedSecurityMode'],
  ),
  UserPoolIdType: string({ min: 1, max: 55, pattern: '[\\w-]+_[0-9a-zA-Z]+' }),
  UserPoolMfaType: string({ enum: ['OFF', 'ON', 'OPTIONAL'] }),
  UserPoolNameType: string({ min: 1, max: 128, pattern: '[\\w\\s+=,.@-]+' }),
  UserPoolPolicyType: structure({ PasswordPolicy: 'PasswordPolicyType', SignInPolicy: 'SignInPolicyType' }),
  UserPoolTagsType: map('TagKeysType', 'TagValueType'),
  UserPoolTierType: string({ enum: ['LITE', 'ESSENTIALS', 'PLUS'] }),
  UsernameAttributeType: string({ enum: ['phone_number', 'email'] }),
  UsernameAttributesListType: list('UsernameAttributeType'),
  UsernameConfigurationType: structure({ CaseSensitive: 'WrappedBooleanType' }, ['CaseSensitive']),
  UsernameType: string({ min: 1, max: 128, pattern: '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+', sensitive: true }),
  VerificationMessageTemplateType: structure({
    SmsMessage: 'SmsVerificationMessageType',
    EmailMessage: 'EmailVerificationMessageType',
    EmailSubject: 'EmailVerificationSubjectType',
    EmailMessageByLink: 'EmailVerificationMessageByLinkType',
    EmailSubjectByLink: 'EmailVerificationSubjectByLinkType',
    DefaultEmailOption: 'DefaultEmailOptionType',
  }),
  VerifiedAttributeType: string({ enum: ['phone_number', 'email'] }),
  VerifiedAttributesListType: list('VerifiedAttributeType'),
  VerifyUserAttributeRequest: structure(
    { AccessToken: 'TokenModelType', AttributeName: 'AttributeNameType', Code: 'ConfirmationCodeType' },
    ['AccessToken', 'AttributeName', 'Code'],
  ),
  WrappedBooleanType: boolean(),
};

/** Operation -> the model's name for its input shape. */
export const INPUTS: Readonly<Record<string, string>> = {
  SignUp: 'SignUpRequest',
  ConfirmSignUp: 'ConfirmSignUpRequest',
  ResendConfirmationCode: 'ResendConfirmationCodeRequest',
  InitiateAuth: 'InitiateAuthRequest',
  RespondToAuthChallenge: 'RespondToAuthChallengeRequest',
  ForgotPassword: 'ForgotPasswordRequest',
  ConfirmForgotPassword: 'ConfirmForgotPasswordRequest',
  ChangePassword: 'ChangePasswordRequest',
  GetUser: 'GetUserRequest',
  UpdateUserAttributes: 'UpdateUserAttributesRequest',
  GetUserAttributeVerificationCode: 'GetUserAttributeVerificationCodeRequest',
  VerifyUserAttribute: 'VerifyUserAttributeRequest',
  DeleteUser: 'DeleteUserRequest',
  GlobalSignOut: 'GlobalSignOutRequest',
  RevokeToken: 'RevokeTokenRequest',
  GetTokensFromRefreshToken: 'GetTokensFromRefreshTokenRequest',
  CreateUserPool: 'CreateUserPoolRequest',
  UpdateUserPool: 'UpdateUserPoolRequest',
  DescribeUserPool: 'DescribeUserPoolRequest',
  ListUserPools: 'ListUserPoolsRequest',
  CreateUserPoolClient: 'CreateUserPoolClientRequest',
  UpdateUserPoolClient: 'UpdateUserPoolClientRequest',
  DeleteUserPoolClient: 'DeleteUserPoolClientRequest',
  DescribeUserPoolClient: 'DescribeUserPoolClientRequest',
  ListUserPoolClients: 'ListUserPoolClientsRequest',
  AddUserPoolClientSecret: 'AddUserPoolClientSecretRequest',
  ListUserPoolClientSecrets: 'ListUserPoolClientSecretsRequest',
  DeleteUserPoolClientSecret: 'DeleteUserPoolClientSecretRequest',
  CreateGroup: 'CreateGroupRequest',
  GetGroup: 'GetGroupRequest',
  ListGroups: 'ListGroupsRequest',
  AdminGetUser: 'AdminGetUserRequest',
  AdminCreateUser: 'AdminCreateUserRequest',
  AdminSetUserPassword: 'AdminSetUserPasswordRequest',
  AdminResetUserPassword: 'AdminResetUserPasswordRequest',
  AdminUserGlobalSignOut: 'AdminUserGlobalSignOutRequest',
  AdminAddUserToGroup: 'AdminAddUserToGroupRequest',
  AdminRemoveUserFromGroup: 'AdminRemoveUserFromGroupRequest',
  AdminListGroupsForUser: 'AdminListGroupsForUserRequest',
  AdminDeleteUser: 'AdminDeleteUserRequest',
  AdminDisableUser: 'AdminDisableUserRequest',
  AdminEnableUser: 'AdminEnableUserRequest',
  AdminUpdateUserAttributes: 'AdminUpdateUserAttributesRequest',
  AdminConfirmSignUp: 'AdminConfirmSignUpRequest',
  ListUsers: 'ListUsersRequest',
  ListUsersInGroup: 'ListUsersInGroupRequest',
};
