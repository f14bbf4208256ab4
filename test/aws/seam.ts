/**
 * The throwaway stack of `npm run test:aws` and its test-only seam. The seam lets the flow suite read the
 * codes Cognito mails and the events the audit bus publishes (test/aws/seam-handler.ts); it exists ONLY in a
 * stack marked as the test stack, and the synth refuses it anywhere else:
 * - {@link markTestStack} marks a stack, and only one whose name starts with {@link TEST_STACK_PREFIX}, with
 *   every resource deletable (`bff:removalPolicy` destroy) and no termination protection;
 * - {@link TestSeam} throws on an unmarked stack, and validates again at synth (a mark can only be added).
 * bin/app.ts, the product's app, never marks a stack: `cdk deploy` of it cannot carry the seam.
 */
import { Annotations, type App, CfnOutput, Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { type CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnPermission } from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct } from 'constructs';
import { toEnvironment } from '../../lambdas/shared/config';
import { type Settings, settingsFromContext } from '../../lambdas/shared/settings';
import { BffFunction } from '../../lib/constructs/bff-function';
import { COGNITO_EMAIL_WARNING } from '../../lib/constructs/identity';
import { PasswordBffStack } from '../../lib/password-bff-stack';
import { SEAM_OUTPUTS, SEAM_TABLE, TEST_ORIGIN, TEST_STACK_PREFIX } from './seam-contract';

export { TEST_ORIGIN, TEST_STACK_PREFIX } from './seam-contract';

const testStacks = new WeakSet<Stack>();

/** Why `stack` may not carry the seam, or undefined when it may. */
function refusal(stack: Stack): string | undefined {
  const why = !testStacks.has(stack)
    ? 'it is not marked as the test stack'
    : !stack.stackName.startsWith(TEST_STACK_PREFIX)
      ? `its name does not start with ${TEST_STACK_PREFIX}`
      : stack.terminationProtection
        ? 'it has termination protection'
        : undefined;
  return why && `the test seam exists only in the throwaway stack of npm run test:aws; "${stack.stackName}": ${why}`;
}

/** Marks `stack` as the throwaway test stack; refuses a stack that is not named and built to be thrown away. */
export function markTestStack(stack: PasswordBffStack, settings: Settings): void {
  if (!stack.stackName.startsWith(TEST_STACK_PREFIX)) {
    throw new Error(`a test stack's name starts with ${TEST_STACK_PREFIX}, got "${stack.stackName}"`);
  }
  if (settings.removalPolicy !== 'destroy') {
    throw new Error(`the test stack "${stack.stackName}" must be deletable: bff:removalPolicy destroy`);
  }
  testStacks.add(stack);
}

/** The seam: a KMS key for Cognito's custom email sender, the function, its table, and a copy of the audit bus. */
export class TestSeam extends Construct {
  readonly table: Table;
  readonly function: BffFunction;

  constructor(stack: PasswordBffStack, id: string, props: { settings: Settings }) {
    const refused = refusal(stack);
    if (refused) throw new Error(refused);
    super(stack, id);
    this.node.addValidation({ validate: () => [refusal(stack)].filter((r): r is string => r !== undefined) });

    this.table = new Table(this, 'Records', {
      partitionKey: { name: SEAM_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: SEAM_TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: SEAM_TABLE.ttl,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Cognito encrypts the codes it gives a custom sender with this key (AWS Encryption SDK).
    // https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html
    const key = new Key(this, 'SenderKey', {
      description: 'Test stack only: Cognito encrypts the codes it hands the test seam with this key',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cognito-idp.amazonaws.com'), 'kms:CreateGrant', 'kms:Encrypt');

    this.function = new BffFunction(this, 'Function', {
      entry: 'test/aws/seam-handler.ts',
      description: 'TEST STACK ONLY: records mailed codes and audit events for npm run test:aws',
      timeout: Duration.seconds(10),
      environment: {
        ...toEnvironment('customMessage', props.settings, { eventBusName: stack.eventBus.eventBusName }),
        SEAM_TABLE_NAME: this.table.tableName,
        SEAM_KEY_ARN: key.keyArn,
      },
    });
    const fn = this.function.function;
    this.table.grant(fn, 'dynamodb:PutItem');
    key.grantDecrypt(fn);

    // Cognito mails through the seam: LambdaConfig.CustomEmailSender (V1_0 is the only version) and its key.
    const pool = stack.identity.userPool.node.defaultChild as CfnUserPool;
    pool.addPropertyOverride('LambdaConfig.CustomEmailSender', { LambdaArn: fn.functionArn, LambdaVersion: 'V1_0' });
    pool.addPropertyOverride('LambdaConfig.KMSKeyID', key.keyArn);
    // The built-in email's daily cap does not apply: Cognito hands every message to the seam and sends none.
    Annotations.of(stack.identity.userPool).acknowledgeWarning(
      COGNITO_EMAIL_WARNING,
      'The test stack mails through the seam (CustomEmailSender): Cognito sends no email.',
    );
    new CfnPermission(this, 'CognitoInvoke', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'cognito-idp.amazonaws.com',
      sourceArn: stack.identity.userPool.userPoolArn,
    });

    new Rule(this, 'AuditCopy', {
      description: 'TEST STACK ONLY: copies every audit event into the seam table',
      eventBus: stack.eventBus,
      eventPattern: { account: [stack.account] },
      targets: [new LambdaFunction(fn)],
    });
    new CfnOutput(stack, SEAM_OUTPUTS.tableName, {
      value: this.table.tableName,
      description: 'Test stack only: what the seam recorded',
    });

    const ack = (id: string, reason: string) => Validations.of(this).acknowledge({ id, reason });
    ack('AwsSolutions-DDB3', 'A throwaway table of test records, deleted with the stack within the hour.');
    ack(
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "Only allows writing to the function's own log group.",
    );
    ack('AwsSolutions-IAM5[Resource::*]', 'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) exists only on "*".');
  }
}

export interface TestStackOptions {
  /** The unique name; {@link TEST_STACK_PREFIX} and a suffix. */
  readonly stackName: string;
  /** The `bff:*` settings as context. @default the app's context (cdk.json's and -c, as a deploy reads it) */
  readonly context?: Record<string, unknown>;
  readonly env?: { account?: string; region?: string };
}

/**
 * The throwaway stack: the product's stack with cdk.json's settings, everything deletable, one more CORS
 * origin for the suite, marked, with the seam; cdk-nag checks it as it checks the product.
 */
export function addTestStack(app: App, options: TestStackOptions) {
  const base = settingsFromContext(options.context ?? app.node.getAllContext());
  const settings: Settings = {
    ...base,
    removalPolicy: 'destroy',
    allowedOrigins: [...new Set([...base.allowedOrigins, TEST_ORIGIN])],
  };
  const stack = new PasswordBffStack(app, options.stackName, {
    settings,
    terminationProtection: false,
    ...(options.env ? { env: options.env } : {}),
  });
  markTestStack(stack, settings);
  const seam = new TestSeam(stack, 'TestSeam', { settings });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { stack, seam, settings };
}
