/**
 * Attributes as the pool's schema and the app client allow them, and requests that write several
 * things: all of a request is checked before any of it is applied, so a rejected request changes
 * nothing (field report #25.1).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  PASSWORD,
  type Pool,
  type Served,
  apiRef,
  attributesOf,
  createPool,
  errorOf,
  failure,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

const MESSAGE_ARN = 'arn:aws:lambda:eu-west-1:000000000000:function:custom-message';
let trigger: 'ok' | 'throw' | 'slow' = 'ok';

let served: Served;
/** The product's pool: email is the username, verified automatically, kept until the new one is verified. */
let product: Pool;
/** The same with a custom attribute and a client that may write only email and name. */
let custom: Pool;

beforeAll(async () => {
  served = await serveCognito({
    triggers: {
      [MESSAGE_ARN]: async (event: any) => {
        if (trigger === 'throw') throw new Error('template broke');
        if (trigger === 'slow') await new Promise((resolve) => setTimeout(resolve, 200));
        return event;
      },
    },
  });
  product = await createPool(
    served,
    { LambdaConfig: { CustomMessage: MESSAGE_ARN } },
    {
      ReadAttributes: ['email', 'email_verified', 'name', 'locale'],
      WriteAttributes: ['email', 'name', 'locale'],
    },
  );
  custom = await createPool(
    served,
    { Schema: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true }] },
    { WriteAttributes: ['email', 'name'], ReadAttributes: ['email', 'name'] },
  );
});

afterAll(() => served?.stop());

beforeEach(() => {
  trigger = 'ok';
});

const update = (accessToken: string | undefined, attributes: Record<string, string>) =>
  served.send(
    new sdk.UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );

const adminUpdate = (pool: Pool, username: string, attributes: Record<string, string>) =>
  served.send(
    new sdk.AdminUpdateUserAttributesCommand({
      UserPoolId: pool.poolId,
      Username: username,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );

const adminAttributes = async (pool: Pool, username: string) =>
  attributesOf((await flows(served, pool).adminGet(username)).UserAttributes);

describe('attributes not in the schema', () => {
  const SCHEMA = 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n';

  it(`are refused on SignUp, and no user is made (${apiRef('SignUp')})`, async () => {
    const user = uniqueEmail('schema');
    const error = await failure(flows(served, product).signUp(user, { 'custom:nope': 'x' }));
    expect(error?.name).toBe('InvalidParameterException');
    expect(error?.message).toBe(SCHEMA);
    expect(await errorOf(flows(served, product).adminGet(user))).toBe('UserNotFoundException');
    expect(await errorOf(flows(served, product).signUp(uniqueEmail('schema'), { favourite_colour: 'red' }))).toBe(
      'InvalidParameterException',
    );
  });

  it(`are refused on AdminCreateUser, and no user is made (${apiRef('AdminCreateUser')})`, async () => {
    const user = uniqueEmail('schema');
    const error = await failure(
      flows(served, product).invite(user, { UserAttributes: [{ Name: 'custom:nope', Value: 'x' }] }),
    );
    expect(error?.message).toBe(SCHEMA);
    expect(await errorOf(flows(served, product).adminGet(user))).toBe('UserNotFoundException');
  });

  it(`are refused on UpdateUserAttributes, and nothing else in the request is applied (${apiRef('UpdateUserAttributes')})`, async () => {
    const user = uniqueEmail('schema');
    const tokens = await flows(served, product).confirmed(user, { name: 'Before' });
    const error = await failure(update(tokens.AccessToken, { name: 'After', 'custom:nope': 'x' }));
    expect(error?.message).toBe(SCHEMA);
    expect((await flows(served, product).attributes(tokens.AccessToken)).name).toBe('Before');
  });

  it('are accepted once the schema defines them (custom:tier), from an administrator', async () => {
    const user = uniqueEmail('tier');
    await flows(served, custom).invite(user, {
      UserAttributes: [
        { Name: 'custom:tier', Value: 'gold' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    expect((await adminAttributes(custom, user))['custom:tier']).toBe('gold');
    const described = await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: custom.poolId }));
    expect(described.UserPool.SchemaAttributes).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'custom:tier', AttributeDataType: 'String' })]),
    );
  });
});

describe("the app client's WriteAttributes", () => {
  const UNAUTHORIZED = 'A client attempted to write unauthorized attribute';

  it(`are enforced on SignUp and UpdateUserAttributes, not on AdminUpdateUserAttributes (${apiRef('UpdateUserAttributes')})`, async () => {
    const user = uniqueEmail('write');
    const signUp = await failure(flows(served, custom).signUp(user, { locale: 'fr' }));
    expect(signUp?.name).toBe('NotAuthorizedException');
    expect(signUp?.message).toBe(UNAUTHORIZED);
    const tokens = await flows(served, custom).confirmed(user, { name: 'Writer' });
    const self = await failure(update(tokens.AccessToken, { name: 'Changed', locale: 'fr' }));
    expect(self?.message).toBe(UNAUTHORIZED);
    expect((await adminAttributes(custom, user)).name).toBe('Writer');
    await adminUpdate(custom, user, { locale: 'fr', 'custom:tier': 'silver' });
    expect(await adminAttributes(custom, user)).toMatchObject({ locale: 'fr', 'custom:tier': 'silver' });
  });

  it('by default allow the standard attributes only: not a custom attribute, not email_verified', async () => {
    const own = await createPool(served, { Schema: [{ Name: 'tier', AttributeDataType: 'String' }] });
    const user = uniqueEmail('default-write');
    expect(await errorOf(flows(served, own).signUp(user, { 'custom:tier': 'gold' }))).toBe('NotAuthorizedException');
    const tokens = await flows(served, own).confirmed(user, { locale: 'de', nickname: 'd' });
    expect(await errorOf(update(tokens.AccessToken, { email_verified: 'true' }))).toBe('NotAuthorizedException');
    await update(tokens.AccessToken, { given_name: 'Dee' });
    expect((await flows(served, own).attributes(tokens.AccessToken)).given_name).toBe('Dee');
  });

  it(`and its ReadAttributes limit what GetUser answers (${apiRef('GetUser')})`, async () => {
    const user = uniqueEmail('read');
    await flows(served, custom).invite(user, { UserAttributes: [{ Name: 'locale', Value: 'fr' }] });
    await served.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: custom.poolId,
        Username: user,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const tokens = await flows(served, custom).tokens(user);
    const seen = await flows(served, custom).attributes(tokens.AccessToken);
    expect(seen.email).toBe(user);
    expect(seen.locale).toBeUndefined();
  });
});

describe('email_verified', () => {
  it(`is read as Cognito reads it: "True" counts as true (${apiRef('AdminCreateUser')})`, async () => {
    const user = uniqueEmail('verified');
    await flows(served, product).invite(user, { UserAttributes: [{ Name: 'email_verified', Value: 'True' }] });
    expect((await adminAttributes(product, user)).email_verified).toBe('true');
    await served.send(
      new sdk.AdminSetUserPasswordCommand({
        UserPoolId: product.poolId,
        Username: user,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const tokens = await flows(served, product).tokens(user);
    const id = JSON.parse(Buffer.from((tokens.IdToken ?? '').split('.')[1] ?? '', 'base64url').toString());
    expect(id.email_verified).toBe(true);
    // ForgotPassword needs a verified address: this one counts.
    expect((await flows(served, product).forgot(user)).CodeDeliveryDetails.Destination).toMatch(/\*\*\*/);
  });

  it('and an administrator can mark a new address verified, which then skips the code', async () => {
    const user = uniqueEmail('admin-verified');
    await flows(served, product).invite(user);
    const next = uniqueEmail('admin-verified-new');
    await adminUpdate(product, user, { email: next, email_verified: 'TRUE' });
    // The address is the user's sign-in alias: the user is now found by the new one.
    expect(await adminAttributes(product, next)).toMatchObject({ email: next, email_verified: 'true' });
    expect(served.local.outbox.some((m) => m.to === next)).toBe(false);
  });
});

describe('a rejected request changes nothing (#25.1)', () => {
  it(`UpdateUserAttributes {name, email of another user}: AliasExistsException, name unchanged (${apiRef('UpdateUserAttributes')})`, async () => {
    const a = uniqueEmail('alias-a');
    const b = uniqueEmail('alias-b');
    const tokens = await flows(served, product).confirmed(a, { name: 'Original' });
    await flows(served, product).confirmed(b);
    expect(await errorOf(update(tokens.AccessToken, { name: 'Changed-1', email: b }))).toBe('AliasExistsException');
    expect(await flows(served, product).attributes(tokens.AccessToken)).toMatchObject({ name: 'Original', email: a });
  });

  it('UpdateUserAttributes {locale, email: not-an-email}: InvalidParameterException, locale unchanged', async () => {
    const user = uniqueEmail('format');
    const tokens = await flows(served, product).confirmed(user, { locale: 'en' });
    expect(await errorOf(update(tokens.AccessToken, { locale: 'fr', email: 'not-an-email' }))).toBe(
      'InvalidParameterException',
    );
    expect((await flows(served, product).attributes(tokens.AccessToken)).locale).toBe('en');
  });

  it('UpdateUserAttributes whose verification message fails: nothing applied, nothing pending', async () => {
    const user = uniqueEmail('trigger');
    const tokens = await flows(served, product).confirmed(user, { name: 'Before' });
    trigger = 'throw';
    expect(await errorOf(update(tokens.AccessToken, { name: 'After', email: uniqueEmail('trigger-new') }))).toBe(
      'UserLambdaValidationException',
    );
    trigger = 'ok';
    expect(await flows(served, product).attributes(tokens.AccessToken)).toMatchObject({ name: 'Before', email: user });
    // No pending address either: verifying with any code finds nothing to verify.
    expect(
      await errorOf(
        served.send(
          new sdk.VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: '1' }),
        ),
      ),
    ).toBe('ExpiredCodeException');
  });

  it(`AdminUpdateUserAttributes {name, email of another user}: AliasExistsException, name unchanged (${apiRef('AdminUpdateUserAttributes')})`, async () => {
    const a = uniqueEmail('admin-alias-a');
    const b = uniqueEmail('admin-alias-b');
    await flows(served, product).invite(a, {
      UserAttributes: [
        { Name: 'name', Value: 'Original' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    await flows(served, product).invite(b);
    expect(await errorOf(adminUpdate(product, a, { name: 'Changed', email: b, email_verified: 'true' }))).toBe(
      'AliasExistsException',
    );
    expect(await adminAttributes(product, a)).toMatchObject({ name: 'Original', email: a });
  });

  it('SignUp and AdminCreateUser with a bad attribute leave no user behind; a failed message neither', async () => {
    const invited = uniqueEmail('bad-invite');
    expect(
      await errorOf(
        flows(served, product).invite(invited, {
          UserAttributes: [
            { Name: 'email_verified', Value: 'true' },
            { Name: 'sub', Value: 'mine' },
          ],
        }),
      ),
    ).toBe('InvalidParameterException');
    expect(await errorOf(flows(served, product).adminGet(invited))).toBe('UserNotFoundException');
    const signed = uniqueEmail('bad-sign-up');
    trigger = 'throw';
    expect(await errorOf(flows(served, product).signUp(signed))).toBe('UserLambdaValidationException');
    trigger = 'ok';
    expect(await errorOf(flows(served, product).adminGet(signed))).toBe('UserNotFoundException');
  });

  it('two concurrent sign-ups of one address make one user, even while the code is being sent', async () => {
    const user = uniqueEmail('race');
    trigger = 'slow';
    const results = await Promise.all([
      errorOf(flows(served, product).signUp(user)),
      errorOf(flows(served, product).signUp(user)),
    ]);
    expect(results.sort()).toEqual(['UsernameExistsException', 'no error']);
    const listed = await served.send(
      new sdk.ListUsersCommand({ UserPoolId: product.poolId, Filter: `email = "${user}"` }),
    );
    expect(listed.Users).toHaveLength(1);
  });

  it(`UpdateUserPool with one bad value applies none of the others (${apiRef('UpdateUserPool')})`, async () => {
    const own = await createPool(served, { Policies: { PasswordPolicy: { MinimumLength: 12 } } });
    expect(
      await errorOf(
        served.send(
          new sdk.UpdateUserPoolCommand({
            UserPoolId: own.poolId,
            AutoVerifiedAttributes: [],
            Policies: { PasswordPolicy: { MinimumLength: 3 } },
          }),
        ),
      ),
    ).toBe('InvalidParameterException');
    const described = (await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: own.poolId }))).UserPool;
    expect(described.Policies.PasswordPolicy.MinimumLength).toBe(12);
    expect(described.AutoVerifiedAttributes).toEqual(['email']);
  });

  it(`UpdateUserPoolClient with an attribute the pool lacks changes nothing (${apiRef('UpdateUserPoolClient')})`, async () => {
    const own = await createPool(served);
    expect(
      await errorOf(
        served.send(
          new sdk.UpdateUserPoolClientCommand({
            UserPoolId: own.poolId,
            ClientId: own.clientId,
            ClientName: 'renamed',
            WriteAttributes: ['custom:nope'],
          }),
        ),
      ),
    ).toBe('InvalidParameterException');
    const described = await served.send(
      new sdk.DescribeUserPoolClientCommand({ UserPoolId: own.poolId, ClientId: own.clientId }),
    );
    expect(described.UserPoolClient).toMatchObject({ ClientName: 'app', PreventUserExistenceErrors: 'ENABLED' });
  });
});
