import { randomUUID } from 'node:crypto';
import type { AwsJsonService } from './aws-json';
import { CognitoError } from './cognito/model';
import { JsonStore, stateFile } from './store';

export interface AuditEvent {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly eventBusName: string;
  readonly detail: unknown;
  readonly time: string;
}

/** EventBridge PutEvents answered locally: events land in a list served at /_local/events. */
export class LocalEventBridge {
  readonly store: JsonStore<{ events: AuditEvent[] }>;
  readonly service: AwsJsonService;

  constructor(dataDir?: string, now: () => number = Date.now) {
    this.store = new JsonStore(stateFile(dataDir, 'events.json'), () => ({ events: [] }));
    this.service = {
      targetPrefix: 'AWSEvents',
      operations: {
        PutEvents: async (input) => {
          const entries = input.Entries;
          if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
            throw new CognitoError('ValidationException', 'Entries must hold 1 to 10 events.');
          }
          const ids = entries.map((entry: Record<string, unknown>) => {
            const id = randomUUID();
            let detail: unknown;
            try {
              detail = JSON.parse(String(entry.Detail ?? '{}'));
            } catch {
              throw new CognitoError('ValidationException', 'Detail is not valid JSON.');
            }
            this.store.data.events.push({
              id,
              source: String(entry.Source ?? ''),
              detailType: String(entry.DetailType ?? ''),
              eventBusName: String(entry.EventBusName ?? 'default'),
              detail,
              time: new Date(now()).toISOString(),
            });
            return { EventId: id };
          });
          await this.store.commit();
          return { FailedEntryCount: 0, Entries: ids };
        },
      },
    };
  }

  get list(): readonly AuditEvent[] {
    return this.store.data.events;
  }
}
