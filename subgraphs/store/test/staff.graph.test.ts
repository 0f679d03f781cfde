import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  ownerPrisma,
  signUpSeller,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestSeller,
  type TestStore,
} from '@commerce/testkit';
import { asOwner, execute, inviteStaff, succeed, userErrorsOf } from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const STAFF_LIST = `{ store { staffMembers { id email role name pending } } }`;

function as(seller: TestSeller, store: TestStore) {
  return { token: seller.accessToken, store: store.slug };
}

/** A second OWNER of the store: a seller who signs up and is added as OWNER by the first. */
async function secondOwner(store: TestStore): Promise<{ seller: TestSeller; memberId: string }> {
  const seller = await signUpSeller(graph.client);
  const member = await inviteStaff(graph.client, store, seller.email, 'OWNER');
  return { seller, memberId: member.id };
}

async function ownerMemberId(store: TestStore): Promise<string> {
  const data = await graph.client.data(STAFF_LIST, {}, asOwner(store));
  const member = data.store.staffMembers.find((candidate: { email: string }) => candidate.email === store.owner.email);
  return member.id;
}

/** The mails the store sent to an address, oldest first (the local outbox: no SMTP_URL in tests). */
function mailsTo(store: TestStore, to: string) {
  return owner.mailMessage.findMany({ where: { store: { slug: store.slug }, to }, orderBy: { createdAt: 'asc' } });
}

describe('staff members', () => {
  it('adds an existing seller by email (any case) with a role, and lists staff OWNERs first with names', async () => {
    const store = await createStore(graph.client);
    const seller = await signUpSeller(graph.client, { name: 'Grace Hopper' });
    const payload = await succeed(
      graph.client,
      'staffMemberAdd',
      { email: seller.email.toUpperCase(), role: 'MANAGER' },
      asOwner(store),
    );
    expect(payload.staffMember).toMatchObject({
      email: seller.email,
      role: 'MANAGER',
      name: 'Grace Hopper',
      pending: false,
    });

    const data = await graph.client.data(STAFF_LIST, {}, asOwner(store));
    expect(
      data.store.staffMembers.map((member: { email: string; role: string }) => [member.email, member.role]),
    ).toEqual([
      [store.owner.email, 'OWNER'],
      [seller.email, 'MANAGER'],
    ]);
    // The new member acts in the store with the role's permissions at once, and is told so.
    const role = await graph.client.data(`{ store { viewerRole } }`, {}, as(seller, store));
    expect(role.store.viewerRole).toBe('MANAGER');
    const storeName = (await owner.store.findUniqueOrThrow({ where: { slug: store.slug } })).name;
    const mails = await mailsTo(store, seller.email);
    expect(mails.map((mail) => mail.subject)).toEqual([`You now have access to ${storeName}`]);
    expect(mails[0]?.text).toContain(`to the staff of ${storeName} as a manager.`);
    expect(mails[0]?.text).toContain('Sign in: http://localhost:3001');
  });

  it('keeps an invitation for an email without an account, which the seller takes up on sign-up', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const email = `${unique('invitee')}@example.com`;
    const invitation = await inviteStaff(graph.client, store, email, 'STAFF');
    await inviteStaff(graph.client, other, email, 'ADMIN');
    expect(invitation.pending).toBe(true);
    // The invitee is told by mail, in each store's language.
    await owner.store.update({ where: { slug: other.slug }, data: { locale: 'de-DE' } });
    const [invited] = await mailsTo(store, email);
    expect(invited?.subject).toMatch(/^You are invited to help run /);
    expect(invited?.text).toContain(`as a staff member.`);
    expect(invited?.text).toContain(`Sign up with this email address (${email})`);
    expect(invited?.html).toContain('href="http://localhost:3001"');
    await inviteStaff(graph.client, other, `de-${email}`, 'MANAGER');
    expect((await mailsTo(other, `de-${email}`))[0]?.subject).toMatch(/^Einladung zu /);
    const pending = await graph.client.data(STAFF_LIST, {}, asOwner(store));
    expect(pending.store.staffMembers).toContainEqual({
      id: invitation.id,
      email,
      role: 'STAFF',
      name: null,
      pending: true,
    });

    const seller = await signUpSeller(graph.client, { email, name: 'Ada' });
    const stores = await graph.client.data(`{ currentSeller { stores { slug } } }`, {}, { token: seller.accessToken });
    expect(stores.currentSeller.stores.map((entry: { slug: string }) => entry.slug).sort()).toEqual(
      [store.slug, other.slug].sort(),
    );
    const role = await graph.client.data(`{ store { viewerRole } }`, {}, as(seller, other));
    expect(role.store.viewerRole).toBe('ADMIN');
    const accepted = await graph.client.data(STAFF_LIST, {}, asOwner(store));
    expect(accepted.store.staffMembers).toContainEqual({
      id: invitation.id,
      email,
      role: 'STAFF',
      name: 'Ada',
      pending: false,
    });
  });

  it('refuses a bad email, and an email already on the staff or invited', async () => {
    const store = await createStore(graph.client);
    const email = `${unique('twice')}@example.com`;
    await inviteStaff(graph.client, store, email, 'STAFF');
    expect(
      await userErrorsOf(graph.client, 'staffMemberAdd', { email: email.toUpperCase(), role: 'ADMIN' }, asOwner(store)),
    ).toEqual([['input.email', 'TAKEN']]);
    expect(
      await userErrorsOf(graph.client, 'staffMemberAdd', { email: store.owner.email, role: 'ADMIN' }, asOwner(store)),
    ).toEqual([['input.email', 'TAKEN']]);
    expect(
      await userErrorsOf(graph.client, 'staffMemberAdd', { email: 'not-an-email', role: 'ADMIN' }, asOwner(store)),
    ).toEqual([['input.email', 'INVALID']]);
  });

  it('changes a role and removes a member, who then has no access', async () => {
    const store = await createStore(graph.client);
    const seller = await signUpSeller(graph.client);
    const member = await inviteStaff(graph.client, store, seller.email, 'STAFF');
    const updated = await succeed(graph.client, 'staffMemberUpdate', { id: member.id, role: 'ADMIN' }, asOwner(store));
    expect(updated.staffMember).toMatchObject({ id: member.id, role: 'ADMIN' });

    const removed = await succeed(graph.client, 'staffMemberRemove', { id: member.id }, asOwner(store));
    expect(removed.removedStaffMemberId).toBe(member.id);
    const role = await graph.client.data(`{ store { viewerRole } }`, {}, as(seller, store));
    expect(role.store.viewerRole).toBeNull();
    expect(errorCodes(await execute(graph.client, 'staffMemberRemove', { id: member.id }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await execute(graph.client, 'staffMemberRemove', { id: 'not-an-id' }, asOwner(store)))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('lets an ADMIN manage other staff but not OWNERs, and only an OWNER make an OWNER', async () => {
    const store = await createStore(graph.client);
    const admin = await addStaffMember(graph.client, owner, store, 'ADMIN');
    const staff = await inviteStaff(graph.client, store, `${unique('s')}@example.com`, 'STAFF');
    expect(
      (await succeed(graph.client, 'staffMemberUpdate', { id: staff.id, role: 'ADMIN' }, as(admin, store))).staffMember
        .role,
    ).toBe('ADMIN');
    expect(
      errorCodes(await execute(graph.client, 'staffMemberUpdate', { id: staff.id, role: 'OWNER' }, as(admin, store))),
    ).toEqual(['FORBIDDEN']);
    const ownerId = await ownerMemberId(store);
    expect(
      errorCodes(await execute(graph.client, 'staffMemberUpdate', { id: ownerId, role: 'ADMIN' }, as(admin, store))),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await execute(graph.client, 'staffMemberRemove', { id: ownerId }, as(admin, store)))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      errorCodes(
        await execute(
          graph.client,
          'staffMemberAdd',
          { email: `${unique('o')}@example.com`, role: 'OWNER' },
          as(admin, store),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    // The OWNER can.
    expect(
      (await succeed(graph.client, 'staffMemberUpdate', { id: staff.id, role: 'OWNER' }, asOwner(store))).staffMember
        .role,
    ).toBe('OWNER');
  });

  it('staff of any role can list their colleagues; sellers outside the store cannot', async () => {
    const store = await createStore(graph.client);
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    const listed = await graph.client.data(STAFF_LIST, {}, as(clerk, store));
    expect(listed.store.staffMembers).toHaveLength(2);
    const stranger = await signUpSeller(graph.client);
    expect(errorCodes(await graph.client.execute(STAFF_LIST, {}, as(stranger, store)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute(STAFF_LIST, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the last OWNER', () => {
  it('cannot be demoted or removed', async () => {
    const store = await createStore(graph.client);
    const id = await ownerMemberId(store);
    expect(await userErrorsOf(graph.client, 'staffMemberUpdate', { id, role: 'ADMIN' }, asOwner(store))).toEqual([
      ['input.role', 'LAST_OWNER'],
    ]);
    expect(await userErrorsOf(graph.client, 'staffMemberRemove', { id }, asOwner(store))).toEqual([
      ['input.id', 'LAST_OWNER'],
    ]);
    // A pending OWNER invitation is no OWNER yet.
    await inviteStaff(graph.client, store, `${unique('future-owner')}@example.com`, 'OWNER');
    expect(await userErrorsOf(graph.client, 'staffMemberUpdate', { id, role: 'ADMIN' }, asOwner(store))).toEqual([
      ['input.role', 'LAST_OWNER'],
    ]);
  });

  it('may step down once there is another OWNER', async () => {
    const store = await createStore(graph.client);
    const second = await secondOwner(store);
    const id = await ownerMemberId(store);
    expect(
      (await succeed(graph.client, 'staffMemberUpdate', { id, role: 'ADMIN' }, asOwner(store))).staffMember.role,
    ).toBe('ADMIN');
    expect(
      await userErrorsOf(graph.client, 'staffMemberRemove', { id: second.memberId }, as(second.seller, store)),
    ).toEqual([['input.id', 'LAST_OWNER']]);
  });

  it('survives two OWNERs stepping down at the same time: one succeeds, the other gets LAST_OWNER', async () => {
    for (let round = 0; round < 3; round += 1) {
      const store = await createStore(graph.client);
      const second = await secondOwner(store);
      const first = await ownerMemberId(store);
      const results = await Promise.all([
        userErrorsOf(graph.client, 'staffMemberUpdate', { id: first, role: 'ADMIN' }, asOwner(store)),
        userErrorsOf(
          graph.client,
          'staffMemberUpdate',
          { id: second.memberId, role: 'ADMIN' },
          as(second.seller, store),
        ),
      ]);
      expect(results.map((errors) => errors.map(([, code]) => code).join()).sort()).toEqual(['', 'LAST_OWNER']);
      expect(await owner.staffMember.count({ where: { store: { slug: store.slug }, role: 'OWNER' } })).toBe(1);
    }
  });

  it('survives two OWNERs demoting each other at the same time: exactly one OWNER is left', async () => {
    for (let round = 0; round < 3; round += 1) {
      const store = await createStore(graph.client);
      const second = await secondOwner(store);
      const first = await ownerMemberId(store);
      const responses = await Promise.all([
        execute(graph.client, 'staffMemberUpdate', { id: second.memberId, role: 'ADMIN' }, asOwner(store)),
        execute(graph.client, 'staffMemberUpdate', { id: first, role: 'ADMIN' }, as(second.seller, store)),
      ]);
      // The loser either finds itself the last OWNER, or (when the other change committed before
      // its own permission check) no longer an OWNER at all.
      const outcomes = responses.map(
        (response) => errorCodes(response)[0] ?? response.data?.staffMemberUpdate.userErrors[0]?.code ?? 'OK',
      );
      expect(outcomes.filter((outcome) => outcome === 'OK')).toHaveLength(1);
      expect(
        outcomes
          .filter((outcome) => outcome !== 'OK')
          .every((outcome) => outcome === 'FORBIDDEN' || outcome === 'LAST_OWNER'),
      ).toBe(true);
      expect(await owner.staffMember.count({ where: { store: { slug: store.slug }, role: 'OWNER' } })).toBe(1);
    }
  });

  it('survives one OWNER leaving while the other steps down: one OWNER is left', async () => {
    const store = await createStore(graph.client);
    const second = await secondOwner(store);
    const first = await ownerMemberId(store);
    const results = await Promise.all([
      userErrorsOf(graph.client, 'staffMemberRemove', { id: first }, asOwner(store)),
      userErrorsOf(graph.client, 'staffMemberUpdate', { id: second.memberId, role: 'STAFF' }, as(second.seller, store)),
    ]);
    expect(results.map((errors) => errors.map(([, code]) => code).join()).sort()).toEqual(['', 'LAST_OWNER']);
    expect(await owner.staffMember.count({ where: { store: { slug: store.slug }, role: 'OWNER' } })).toBe(1);
  });
});
