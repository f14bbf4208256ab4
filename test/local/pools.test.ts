/**
 * Pools, app clients, groups and the list operations, as the API reference documents them: lists
 * page with MaxResults/Limit and NextToken, clients get Cognito's defaults, legacy flow names work,
 * a group is described whole, ARNs name the pool's region.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  PASSWORD,
  type Pool,
  type Served,
  apiRef,
  createPool,
  errorOf,
  failure,
  flows,
  sdk,
  serveCognito,
  uniqueEmail,
} from './harness';

let served: Served;
let pool: Pool;

beforeAll(async () => {
  served = await serveCognito({ region: 'eu-west-1' });
  pool = await createPool(served);
});

afterAll(() => served?.stop());

/** Every item of a list, page by page, checking that no page is larger than asked. */
async function allPages<T>(
  read: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
  size: number,
) {
  const items: T[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const answer = await read(token);
    expect((answer.items ?? []).length).toBeLessThanOrEqual(size);
    items.push(...(answer.items ?? []));
    token = answer.next;
    pages++;
  } while (token && pages < 50);
  expect(token).toBeUndefined();
  return { items, pages };
}

describe('list operations page like Cognito', () => {
  it(`ListUserPools requires MaxResults (1-60) and follows NextToken (${apiRef('ListUserPools')})`, async () => {
    expect(await errorOf(served.send(new sdk.ListUserPoolsCommand({} as never)))).toBe('InvalidParameterException');
    for (let i = 0; i < 4; i++) await served.send(new sdk.CreateUserPoolCommand({ PoolName: `paged-${i}` }));
    const first = await served.send(new sdk.ListUserPoolsCommand({ MaxResults: 2 }));
    expect(first.UserPools).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const { items, pages } = await allPages(async (NextToken) => {
      const answer = await served.send(new sdk.ListUserPoolsCommand({ MaxResults: 2, NextToken }));
      return { items: answer.UserPools, next: answer.NextToken };
    }, 2);
    expect(pages).toBeGreaterThanOrEqual(3);
    const ids = items.map((p: any) => p.Id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(pool.poolId);
    expect(ids.length).toBe(5);
  });

  it(`ListUserPoolClients caps MaxResults at 60 and pages (${apiRef('ListUserPoolClients')})`, async () => {
    expect(
      await errorOf(served.send(new sdk.ListUserPoolClientsCommand({ UserPoolId: pool.poolId, MaxResults: 61 }))),
    ).toBe('InvalidParameterException');
    for (let i = 0; i < 3; i++) {
      await served.send(new sdk.CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: `c${i}` }));
    }
    const { items } = await allPages(async (NextToken) => {
      const answer = await served.send(
        new sdk.ListUserPoolClientsCommand({ UserPoolId: pool.poolId, MaxResults: 1, NextToken }),
      );
      return { items: answer.UserPoolClients, next: answer.NextToken };
    }, 1);
    expect(items.map((c: any) => c.ClientName).sort()).toEqual(['app', 'c0', 'c1', 'c2']);
  });

  it(`AdminListGroupsForUser, ListGroups and ListUsersInGroup take Limit 0-60 and page (${apiRef('ListUsersInGroup')})`, async () => {
    const user = uniqueEmail('member');
    await flows(served, pool).invite(user);
    for (const GroupName of ['g-a', 'g-b', 'g-c']) {
      await served.send(new sdk.CreateGroupCommand({ UserPoolId: pool.poolId, GroupName }));
      await served.send(new sdk.AdminAddUserToGroupCommand({ UserPoolId: pool.poolId, Username: user, GroupName }));
    }
    expect(
      await errorOf(
        served.send(new sdk.AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: user, Limit: 61 })),
      ),
    ).toBe('InvalidParameterException');
    const groups = await allPages(async (NextToken) => {
      const answer = await served.send(
        new sdk.AdminListGroupsForUserCommand({ UserPoolId: pool.poolId, Username: user, Limit: 2, NextToken }),
      );
      return { items: answer.Groups, next: answer.NextToken };
    }, 2);
    expect(groups.items.map((g: any) => g.GroupName)).toEqual(['g-a', 'g-b', 'g-c']);
    expect(groups.pages).toBe(2);
    const listed = await allPages(async (NextToken) => {
      const answer = await served.send(new sdk.ListGroupsCommand({ UserPoolId: pool.poolId, Limit: 1, NextToken }));
      return { items: answer.Groups, next: answer.NextToken };
    }, 1);
    expect(listed.items.map((g: any) => g.GroupName)).toEqual(expect.arrayContaining(['g-a', 'g-b', 'g-c']));

    const others = [uniqueEmail('member'), uniqueEmail('member')];
    for (const other of others) {
      await flows(served, pool).invite(other);
      await served.send(
        new sdk.AdminAddUserToGroupCommand({ UserPoolId: pool.poolId, Username: other, GroupName: 'g-b' }),
      );
    }
    const members = await allPages(async (NextToken) => {
      const answer = await served.send(
        new sdk.ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'g-b', Limit: 2, NextToken }),
      );
      return { items: answer.Users, next: answer.NextToken };
    }, 2);
    const emails = members.items.map((u: any) => u.Attributes.find((a: any) => a.Name === 'email').Value);
    expect(emails.sort()).toEqual([user, ...others].sort());
    expect(members.items[0]).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(
      await errorOf(served.send(new sdk.ListUsersInGroupCommand({ UserPoolId: pool.poolId, GroupName: 'no-such' }))),
    ).toBe('ResourceNotFoundException');
  });

  it(`ListUsers pages with PaginationToken and filters on one attribute (${apiRef('ListUsers')})`, async () => {
    const own = await createPool(served);
    const names = ['ann@example.com', 'anna@example.com', 'bob@example.com'];
    for (const name of names) await flows(served, own).invite(name);
    const all = await allPages(async (PaginationToken) => {
      const answer = await served.send(new sdk.ListUsersCommand({ UserPoolId: own.poolId, Limit: 2, PaginationToken }));
      return { items: answer.Users, next: answer.PaginationToken };
    }, 2);
    expect(all.items).toHaveLength(3);
    const filtered = async (Filter: string) =>
      ((await served.send(new sdk.ListUsersCommand({ UserPoolId: own.poolId, Filter }))).Users as any[])
        .map((u) => u.Attributes.find((a: any) => a.Name === 'email').Value)
        .sort();
    expect(await filtered('email ^= "ann"')).toEqual(['ann@example.com', 'anna@example.com']);
    expect(await filtered('email = "bob@example.com"')).toEqual(['bob@example.com']);
    expect(await filtered('cognito:user_status = "force_change_password"')).toHaveLength(3);
    expect(
      await errorOf(served.send(new sdk.ListUsersCommand({ UserPoolId: own.poolId, Filter: 'custom:x = "1"' }))),
    ).toBe('InvalidParameterException');
  });

  it('refuses a token from another list or a made-up one', async () => {
    const first = await served.send(new sdk.ListUserPoolsCommand({ MaxResults: 1 }));
    expect(first.NextToken).toEqual(expect.any(String));
    expect(
      await errorOf(
        served.send(new sdk.ListUserPoolClientsCommand({ UserPoolId: pool.poolId, NextToken: first.NextToken })),
      ),
    ).toBe('InvalidParameterException');
    expect(await errorOf(served.send(new sdk.ListUserPoolsCommand({ MaxResults: 1, NextToken: 'made-up' })))).toBe(
      'InvalidParameterException',
    );
  });
});

describe('app clients', () => {
  it(`default PreventUserExistenceErrors to LEGACY, which reveals unknown users (${apiRef('CreateUserPoolClient')})`, async () => {
    const created = await served.send(
      new sdk.CreateUserPoolClientCommand({
        UserPoolId: pool.poolId,
        ClientName: 'defaults',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    expect(created.UserPoolClient.PreventUserExistenceErrors).toBe('LEGACY');
    expect(created.UserPoolClient.ReadAttributes).toBeUndefined();
    expect(created.UserPoolClient.WriteAttributes).toBeUndefined();
    const ghost = uniqueEmail('ghost');
    expect(
      await errorOf(
        served.send(
          new sdk.InitiateAuthCommand({
            ClientId: created.UserPoolClient.ClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: ghost, PASSWORD },
          }),
        ),
      ),
    ).toBe('UserNotFoundException');
    const updated = await served.send(
      new sdk.UpdateUserPoolClientCommand({
        UserPoolId: pool.poolId,
        ClientId: created.UserPoolClient.ClientId,
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    expect(updated.UserPoolClient.PreventUserExistenceErrors).toBe('ENABLED');
    // UpdateUserPoolClient resets what it is not given: the flows go back to the default set.
    expect(updated.UserPoolClient.ExplicitAuthFlows).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_CUSTOM_AUTH',
    ]);
  });

  it('accept the legacy ExplicitAuthFlows names, which keep refresh allowed, but not mixed with ALLOW_ names', async () => {
    const legacy = await createPool(served, {}, { ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] });
    const described = await served.send(
      new sdk.DescribeUserPoolClientCommand({ UserPoolId: legacy.poolId, ClientId: legacy.clientId }),
    );
    expect(described.UserPoolClient.ExplicitAuthFlows).toEqual(['USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']);
    const user = uniqueEmail('legacy');
    const tokens = await flows(served, legacy).confirmed(user);
    expect(tokens.RefreshToken).toEqual(expect.any(String));
    const refreshed = await served.send(
      new sdk.InitiateAuthCommand({
        ClientId: legacy.clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken ?? '' },
      }),
    );
    expect(refreshed.AuthenticationResult.AccessToken).toEqual(expect.any(String));
    const mixed = await failure(
      served.send(
        new sdk.CreateUserPoolClientCommand({
          UserPoolId: pool.poolId,
          ClientName: 'mixed',
          ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      ),
    );
    expect(mixed?.name).toBe('InvalidParameterException');
  });

  it('refuse read or write attributes the pool does not have', async () => {
    for (const attributes of [{ ReadAttributes: ['favourite_colour'] }, { WriteAttributes: ['custom:tier'] }]) {
      expect(
        await errorOf(
          served.send(
            new sdk.CreateUserPoolClientCommand({ UserPoolId: pool.poolId, ClientName: 'bad', ...attributes }),
          ),
        ),
      ).toBe('InvalidParameterException');
    }
  });
});

describe('groups', () => {
  it(`are described with every field of GroupType (${apiRef('GetGroup')})`, async () => {
    const RoleArn = 'arn:aws:iam::000000000000:role/editors';
    const created = await served.send(
      new sdk.CreateGroupCommand({
        UserPoolId: pool.poolId,
        GroupName: 'editors',
        Description: 'People who edit',
        Precedence: 3,
        RoleArn,
      }),
    );
    const got = await served.send(new sdk.GetGroupCommand({ UserPoolId: pool.poolId, GroupName: 'editors' }));
    for (const group of [created.Group, got.Group]) {
      expect(group).toEqual({
        GroupName: 'editors',
        UserPoolId: pool.poolId,
        Description: 'People who edit',
        Precedence: 3,
        RoleArn,
        CreationDate: expect.any(Date),
        LastModifiedDate: expect.any(Date),
      });
    }
  });
});

describe('ARNs', () => {
  it(`name the region the pool lives in (${apiRef('DescribeUserPool')})`, async () => {
    expect(pool.poolId).toMatch(/^eu-west-1_/);
    const described = await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: pool.poolId }));
    expect(described.UserPool.Arn).toBe(`arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${pool.poolId}`);
  });
});

describe('UpdateUserPool', () => {
  it(`sets every setting it is not given back to its default (${apiRef('UpdateUserPool')})`, async () => {
    const own = await createPool(served, {
      Policies: { PasswordPolicy: { MinimumLength: 20 } },
      DeletionProtection: 'ACTIVE',
    });
    await served.send(new sdk.UpdateUserPoolCommand({ UserPoolId: own.poolId, AutoVerifiedAttributes: ['email'] }));
    const described = (await served.send(new sdk.DescribeUserPoolCommand({ UserPoolId: own.poolId }))).UserPool;
    expect(described.Policies.PasswordPolicy.MinimumLength).toBe(8);
    expect(described.DeletionProtection).toBe('INACTIVE');
    expect(described.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).toEqual([]);
    expect(described.AutoVerifiedAttributes).toEqual(['email']);
  });
});
