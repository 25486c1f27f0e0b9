// Attack: pass for someone else. Sign up with an address you do not own (the identity provider
// says email_verified: false) to satisfy a domain rule or an invitation, in the API and in the
// database's row-level security; keep a guest token working after its meeting ended; take a name
// with direction overrides and zero-width characters that renders as someone else's.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Sql } from '../../server/src/db/database.js';
import { api } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { stopOwnCluster } from '../support/postgres.js';
import { claimsOf, startMediaStack, type MediaStack } from './helpers/media-stack.js';

after(async () => {
  await stopOwnCluster();
});

const IDP_SECRET = 'identity-provider-secret-'.padEnd(48, 'q');

function idpToken(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(randomUUID()).setExpirationTime('10m').sign(new TextEncoder().encode(IDP_SECRET));
}

describeEachDatabase('attack: borrowed identities', (backend) => {
  let stack: MediaStack;

  before(async () => {
    stack = await startMediaStack(backend, { AUTH_JWT_SECRET: IDP_SECRET });
  });
  after(async () => {
    await stack.close();
  });

  it('an unverified address satisfies no domain rule', async () => {
    const { meeting } = await stack.meeting({ allowedEmailDomains: ['corp.example'] });
    for (const claims of [{ email: 'ceo@corp.example', email_verified: false }, { email: 'ceo@corp.example', user_metadata: { email_verified: false } }]) {
      const res = await stack.join(meeting.id, await idpToken(claims));
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.equal(res.body.error?.code, 'DOMAIN_NOT_ALLOWED');
    }
    assert.equal((await stack.join(meeting.id, await idpToken({ email: 'dev@corp.example', email_verified: true }))).status, 200);
  });

  it('an unverified address matches no invitation: the waiting room still applies', async () => {
    const { meeting, host } = await stack.meeting({ waitingRoom: true });
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/invitations`, { token: host, body: { emails: ['guest@partner.example'] } });
    const forged = await stack.join(meeting.id, await idpToken({ name: 'Guest', email: 'guest@partner.example', email_verified: false }));
    assert.equal(forged.status, 202, JSON.stringify(forged.body));
    const invitations = await api<unknown[]>(stack.app.url, 'GET', '/invitations', { token: await idpToken({ email: 'guest@partner.example', email_verified: false }) });
    assert.deepEqual(invitations.body, []);
    const real = await stack.join(meeting.id, await idpToken({ name: 'Guest', email: 'guest@partner.example', email_verified: true }));
    assert.equal(real.status, 200, JSON.stringify(real.body));
  });

  it('row-level security ignores an unverified address too', async () => {
    const db = stack.app.deps.db;
    const { meeting, host } = await stack.meeting();
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/invitations`, { token: host, body: { emails: ['rls@partner.example'] } });
    const asUser = (claims: Record<string, unknown>) =>
      db.transaction(async (tx: Sql) => {
        await tx.query('SET LOCAL ROLE authenticated');
        await tx.query(`SELECT set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: randomUUID(), role: 'authenticated', ...claims })]);
        const meetings = await tx.query('SELECT id FROM meetings WHERE id = $1', [meeting.id]);
        const invitations = await tx.query('SELECT id FROM meeting_invitations WHERE meeting_id = $1', [meeting.id]);
        return meetings.rowCount + invitations.rowCount;
      });
    assert.equal(await asUser({ email: 'rls@partner.example', email_verified: false }), 0);
    assert.equal(await asUser({ email: 'rls@partner.example', user_metadata: { email_verified: false } }), 0);
    assert.equal(await asUser({ email: 'rls@partner.example', email_verified: true }), 2);
    assert.equal(await asUser({ email: 'rls@partner.example' }), 2);
  });

  it('a guest token stops working when its meeting ends', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true });
    const guest = await stack.join(meeting.id, undefined, { displayName: 'Gail' });
    const guestToken = guest.body.guestToken ?? '';
    assert.equal((await api(stack.app.url, 'GET', `/meetings/${meeting.id}/chat`, { token: guestToken })).status, 200);
    await api(stack.app.url, 'POST', `/meetings/${meeting.id}/end`, { token: host });
    const after = await api<{ error: { code: string } }>(stack.app.url, 'GET', `/meetings/${meeting.id}/chat`, { token: guestToken });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'INVALID_TOKEN');
  });

  it('display names lose direction overrides and zero-width characters, are NFC, and stay short', async () => {
    const { meeting, host } = await stack.meeting({ allowAnonymous: true });
    // "Host" preceded by a right-to-left override and padded with zero-width spaces; a decomposed é.
    const joined = await stack.join(meeting.id, undefined, { displayName: '\u202Etsoh\u200B\u200B Ame\u0301lie\u2066' });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    const people = await api<Array<{ identity: string; displayName: string }>>(stack.app.url, 'GET', `/meetings/${meeting.id}/participants`, { token: host });
    const shown = people.body.find((p) => p.identity === joined.body.identity)?.displayName;
    assert.equal(shown, 'tsoh Am\u00e9lie');
    assert.equal((claimsOf(joined.body.token) as { name?: string }).name, 'tsoh Am\u00e9lie');
    const blank = await stack.join(meeting.id, undefined, { displayName: '\u200B\u202E\u2069' });
    assert.equal(blank.status, 400);
    // A name from the identity provider is cut to length rather than refused.
    const long = await stack.join(meeting.id, await idpToken({ name: `\u202E${'n'.repeat(300)}`, email: 'long@example.com' }));
    assert.equal(long.status, 200, JSON.stringify(long.body));
    assert.equal((claimsOf(long.body.token) as { name?: string }).name, 'n'.repeat(80));
  });
});
