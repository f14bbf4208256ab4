/**
 * DynamoDB's UpdateItem answered locally for the per-user code cap (lambdas/shared/code-cap.ts), which makes the
 * same signed AWS JSON 1.0 call it makes in AWS, pointed here by DYNAMODB_ENDPOINT. Only the counter that cap
 * writes is emulated: `ADD <count> :n SET <expiry> = :v`, under `attribute_not_exists(<count>) OR <count> < :max`,
 * with ConditionalCheckFailedException when the condition fails, as DynamoDB answers
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html). Any other expression is a
 * ValidationException here. TTL is not emulated: the cap's window is in its key.
 */
import type { AwsJsonService } from './aws-json';
import { CognitoError } from './cognito/model';
import { JsonStore, stateFile } from './store';

type Value = { S?: string; N?: string };
const UPDATE = /^ADD (#\w+) (:\w+) SET (#\w+) = (:\w+)$/;
const CONDITION = /^attribute_not_exists\((#\w+)\) OR (#\w+) < (:\w+)$/;

export class LocalDynamoDb {
  readonly store: JsonStore<{ tables: Record<string, Record<string, Record<string, number>>> }>;
  readonly service: AwsJsonService;

  constructor(dataDir?: string) {
    this.store = new JsonStore(stateFile(dataDir, 'dynamodb.json'), () => ({ tables: {} }));
    this.service = {
      targetPrefix: 'DynamoDB_20120810',
      operations: { UpdateItem: async (input) => this.updateItem(input) },
    };
  }

  private updateItem(input: Record<string, unknown>) {
    const invalid = (message: string) => new CognitoError('ValidationException', message);
    const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const values = (input.ExpressionAttributeValues ?? {}) as Record<string, Value>;
    const key = (input.Key as Record<string, Value> | undefined)?.pk?.S;
    const table = typeof input.TableName === 'string' ? input.TableName : undefined;
    const update = UPDATE.exec(String(input.UpdateExpression ?? ''));
    const condition = CONDITION.exec(String(input.ConditionExpression ?? ''));
    if (!table || !key) throw invalid('TableName and Key.pk (S) are required.');
    if (!update || !condition) throw invalid('Only the counter update of the code cap is emulated.');
    const [, countRef = '', addRef = '', expiryRef = '', expiryValueRef = ''] = update;
    const count = names[countRef];
    const expiry = names[expiryRef];
    const add = Number(values[addRef]?.N);
    const max = Number(values[condition[3] ?? '']?.N);
    const expiresAt = Number(values[expiryValueRef]?.N);
    if (!count || !expiry || names[condition[1] ?? ''] !== count || names[condition[2] ?? ''] !== count) {
      throw invalid('The condition must test the counter the update adds to.');
    }
    if (![add, max, expiresAt].every(Number.isFinite)) throw invalid('Numbers are expected as {"N": "..."}.');
    const items = (this.store.data.tables[table] ??= {});
    const item = Object.hasOwn(items, key) ? items[key] : undefined;
    const current = item?.[count];
    if (current !== undefined && !(current < max)) {
      throw new CognitoError('ConditionalCheckFailedException', 'The conditional request failed');
    }
    Object.defineProperty(items, key, {
      value: { ...item, [count]: (current ?? 0) + add, [expiry]: expiresAt },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    void this.store.commit();
    return {};
  }
}
