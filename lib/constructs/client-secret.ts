import { CustomResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BffFunction } from './bff-function';

export interface ClientSecretProps {
  readonly userPool: IUserPool;
  readonly client: IUserPoolClient;
  /** Keep the secret when the stack is deleted, as the client whose secret it is. @default true */
  readonly retain?: boolean;
  /** Ship the installer with a source map (bff:sourceMaps). @default false */
  readonly sourceMaps?: boolean;
}

/**
 * The app client's secret, kept in Secrets Manager (its source of truth), and the custom resource that puts it
 * on the client at creation (lambdas/secret/install.ts, AddUserPoolClientSecret). Secrets Manager generates the
 * value: it is never in the template, an environment variable, the custom resource's properties or a log.
 * ClientSecretType allows 24-64 word characters (`[\w+]+`), so the value is 52 letters and digits
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AddUserPoolClientSecret.html).
 * A later deploy changes neither the value nor what Cognito holds: the value is generated once, at creation, and
 * the custom resource acts on creation only. `npm run secret -- rotate` rotates it (README, "Rotate the client
 * secret"). The app client keeps its construct id and `generateSecret: true`: nothing about it changes, so
 * CloudFormation does not replace it (its refresh tokens, every session, stay valid).
 */
export class ClientSecret extends Construct {
  readonly secret: Secret;
  readonly installer: BffFunction;
  readonly install: CustomResource;

  constructor(scope: Construct, id: string, props: ClientSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: "The Cognito app client's secret for the password BFF (JSON: clientSecret, clientSecretId)",
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'clientSecret',
        passwordLength: 52,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: (props.retain ?? true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Rotated by `npm run secret -- rotate` (README, 'Rotate the client secret'): a rotation must add the new " +
        'secret to Cognito, wait for the functions to read it and only then delete the old one.',
    });
    this.installer = new BffFunction(this, 'Installer', {
      entry: 'lambdas/secret/install-handler.ts',
      description: 'Installs the client secret from Secrets Manager on the app client, at creation',
      // Up to four short calls (install.ts, each within 3 s) and the answer to CloudFormation.
      timeout: Duration.seconds(15),
      sourceMaps: props.sourceMaps ?? false,
    });
    const role = this.installer.function;
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        resources: [this.secret.secretArn],
      }),
    );
    role.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AddUserPoolClientSecret', 'cognito-idp:ListUserPoolClientSecrets'],
        resources: [props.userPool.userPoolArn],
      }),
    );
    Validations.of(this.installer).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "Only allows writing to the function's own log group.",
    });
    Validations.of(this.installer).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) exists only on resource "*".',
    });
    this.install = new CustomResource(this, 'Install', {
      serviceToken: role.functionArn,
      resourceType: 'Custom::CognitoClientSecret',
      properties: {
        UserPoolId: props.userPool.userPoolId,
        ClientId: props.client.userPoolClientId,
        SecretId: this.secret.secretArn,
      },
    });
  }
}
