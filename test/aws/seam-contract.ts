/**
 * What the test stack's seam (test/aws/seam.ts, seam-handler.ts) and the AWS target (test/support/target.ts)
 * agree on. No imports: the flow suite loads it without the CDK.
 */

/** Every test stack's name starts with this; the product's stack (`PasswordBff`) does not. */
export const TEST_STACK_PREFIX = 'PasswordBffTest-';

/** An origin on the test stack's CORS allowlist (the deployed API's own URL is known only after deploy). */
export const TEST_ORIGIN = 'https://app.test-aws.example';

/** The stack outputs the AWS target reads, besides the product's (ApiUrl, UserPoolId, ...). */
export const SEAM_OUTPUTS = { tableName: 'TestSeamTableName' } as const;

/** The seam table's layout. */
export const SEAM_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'expires',
  /** Partition of every message to `email` (lower-cased). */
  mailPartition: (email: string) => `mail#${email.toLowerCase()}`,
  /** Partition of the audit events. */
  eventPartition: 'events',
} as const;
