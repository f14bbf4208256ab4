/**
 * Amazon SES v2 SendEmail answered locally (POST /v2/email/outbound-emails, REST-JSON:
 * https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html), for the notices the BFF mails
 * itself (lambdas/shared/ses.ts): the function makes the same signed call it makes in AWS, pointed here by
 * SES_ENDPOINT, and the mail lands in the outbox that the local Cognito's mail uses (`GET /_local/outbox`), with
 * `triggerSource: "SES"` and no code. Only the Simple content the BFF sends is taken; anything else is the
 * BadRequestException SES answers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './aws-json';
import type { OutboxMessage } from './cognito/model';

export const SES_SEND_PATH = '/v2/email/outbound-emails';

interface SendEmailInput {
  FromEmailAddress?: unknown;
  Destination?: { ToAddresses?: unknown };
  Content?: { Simple?: { Subject?: { Data?: unknown }; Body?: { Text?: { Data?: unknown } } } };
}

const isAddress = (value: unknown): value is string => typeof value === 'string' && /^[^@\s]+@[^@\s]+$/.test(value);

export class LocalSes {
  constructor(
    private readonly outbox: () => OutboxMessage[],
    private readonly now: () => number,
    private readonly commit: () => Promise<void>,
  ) {}

  /** Whether a request of the internal port is SES's (the others are AWS JSON, local/aws-json.ts). */
  static handles = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://local').pathname.startsWith('/v2/email/');

  async listener(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: object, errorType?: string) => {
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(text);
    };
    const bad = (message: string) => send(400, { message }, 'BadRequestException');
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://local').pathname !== SES_SEND_PATH) {
      return send(404, { message: 'Not found' }, 'NotFoundException');
    }
    let input: SendEmailInput;
    try {
      input = JSON.parse((await readBody(req)).toString('utf8')) as SendEmailInput;
    } catch {
      return bad('Malformed request body.');
    }
    const to = input.Destination?.ToAddresses;
    const simple = input.Content?.Simple;
    const subject = simple?.Subject?.Data;
    const body = simple?.Body?.Text?.Data;
    if (!isAddress(input.FromEmailAddress?.toString().replace(/^.*<(.*)>$/, '$1'))) return bad('Invalid sender.');
    if (!Array.isArray(to) || to.length !== 1 || !isAddress(to[0])) return bad('Invalid destination.');
    if (typeof subject !== 'string' || typeof body !== 'string') return bad('Only Simple text content is emulated.');
    const messageId = randomUUID();
    this.outbox().push({
      id: messageId,
      to: to[0],
      subject,
      body,
      code: '',
      triggerSource: 'SES',
      clientMetadata: {},
      createdAt: new Date(this.now()).toISOString(),
    });
    await this.commit();
    send(200, { MessageId: messageId });
  }
}
