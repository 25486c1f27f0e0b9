import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, base64url } from 'jose';
import { TokenVerifier, SELF_ISSUER } from '../../server/src/auth/verifier.js';
import { ApiError } from '../../server/src/errors.js';
import { serveText, startTestServer, type TestServer } from '../support/static-server.js';

const SUPABASE_ISSUER = 'https://abcdefgh.supabase.co/auth/v1';
const SUPABASE_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const SELF_SECRET = 'self-secret-for-tests-0123456789abcdef';
const now = () => Math.floor(Date.now() / 1000);

function supabaseClaims(overrides: Record<string, unknown> = {}) {
  return {
    sub: randomUUID(),
    email: 'Ada@Example.COM',
    role: 'authenticated',
    aud: 'authenticated',
    iss: SUPABASE_ISSUER,
    user_metadata: { full_name: 'Ada Lovelace' },
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  };
}

function signHs256(claims: Record<string, unknown>, secret = SUPABASE_SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

async function rejects(verifier: TokenVerifier, token: string, message?: RegExp): Promise<void> {
  await assert.rejects(verifier.verify(token), (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.code, 'INVALID_TOKEN');
    if (message) assert.match(err.message, message);
    return true;
  });
}

describe('TokenVerifier with an HS256 secret (Supabase legacy projects)', () => {
  const verifier = new TokenVerifier({
    users: { secret: SUPABASE_SECRET, issuer: SUPABASE_ISSUER, audience: 'authenticated' },
    selfSecret: SELF_SECRET,
  });

  it('accepts a Supabase access token as it is', async () => {
    const claims = supabaseClaims();
    const caller = await verifier.verify(await signHs256(claims));
    assert.deepEqual(caller, { kind: 'user', userId: claims.sub, email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it('prefers the name claim over user_metadata', async () => {
    const caller = await verifier.verify(await signHs256(supabaseClaims({ name: 'Countess' })));
    assert.equal(caller.kind === 'user' ? caller.name : null, 'Countess');
  });

  it('refuses an expired token', async () => {
    await rejects(verifier, await signHs256(supabaseClaims({ exp: now() - 60 })), /expired/);
  });

  it('refuses a token signed with another secret', async () => {
    await rejects(verifier, await signHs256(supabaseClaims(), 'another-secret-another-secret-another'), /signature/);
  });

  it('refuses an unsigned (alg: none) token', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(supabaseClaims()));
    await rejects(verifier, `${header}.${payload}.`);
  });

  it('refuses the wrong issuer and the wrong audience', async () => {
    await rejects(verifier, await signHs256(supabaseClaims({ iss: 'https://evil.example/auth/v1' })));
    await rejects(verifier, await signHs256(supabaseClaims({ aud: 'anon' })), /aud/);
  });

  it('requires sub and exp', async () => {
    const { sub: _sub, ...noSubject } = supabaseClaims();
    await rejects(verifier, await signHs256(noSubject), /sub/);
    const { exp: _exp, ...noExpiry } = supabaseClaims();
    await rejects(verifier, await signHs256(noExpiry), /exp/);
  });

  it('refuses garbage', async () => {
    await rejects(verifier, 'not-a-jwt', /not a JWT/);
    await rejects(verifier, 'a.b.c');
  });

  it('refuses a token that claims to be self-issued but is signed with the user secret', async () => {
    await rejects(verifier, await signHs256({ ...supabaseClaims(), iss: SELF_ISSUER, aud: SELF_ISSUER }));
  });
});

describe('TokenVerifier with a JWKS (Supabase asymmetric keys, other IdPs)', () => {
  let jwks: TestServer;
  let verifier: TokenVerifier;
  let privateKey: CryptoKey;
  let publicPem: string;

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    jwks = await startTestServer([serveText('/auth/v1/.well-known/jwks.json', 'application/json', JSON.stringify({ keys: [jwk] }))]);
    verifier = new TokenVerifier({
      users: { jwksUrl: `${jwks.url}/auth/v1/.well-known/jwks.json`, issuer: SUPABASE_ISSUER, audience: 'authenticated' },
      selfSecret: SELF_SECRET,
    });
  });
  after(async () => {
    await jwks.close();
  });

  it('accepts an ES256 token whose key is in the JWKS', async () => {
    const claims = supabaseClaims();
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'key-1' }).sign(privateKey);
    const caller = await verifier.verify(token);
    assert.equal(caller.kind === 'user' ? caller.userId : null, claims.sub);
  });

  it('refuses a token signed with a key the JWKS does not hold', async () => {
    const stranger = await generateKeyPair('ES256');
    const token = await new SignJWT(supabaseClaims()).setProtectedHeader({ alg: 'ES256', kid: 'key-1' }).sign(stranger.privateKey);
    await rejects(verifier, token);
  });

  it('refuses an HS256 token made with the public key as its secret (algorithm confusion)', async () => {
    await rejects(verifier, await signHs256(supabaseClaims(), publicPem), /algorithm/);
  });
});

describe('tokens this server signs', () => {
  const verifier = new TokenVerifier({ users: {}, selfSecret: SELF_SECRET, acceptSelfSignedUsers: true });

  it('round-trips a dev-session user', async () => {
    const token = await verifier.signUser({ userId: 'dev-123', email: 'dev@example.com', name: 'Dev' });
    assert.deepEqual(await verifier.verify(token), { kind: 'user', userId: 'dev-123', email: 'dev@example.com', name: 'Dev' });
  });

  it('honours its own user tokens only in dev mode, its guest tokens always', async () => {
    const outsideDevMode = new TokenVerifier({ users: {}, selfSecret: SELF_SECRET });
    const user = await verifier.signUser({ userId: 'dev-123', email: 'dev@example.com', name: 'Dev' });
    await rejects(outsideDevMode, user, /dev mode/);
    const guest = await verifier.signGuest({ guestId: 'g', meetingId: randomUUID(), name: 'x' });
    assert.equal((await outsideDevMode.verify(guest)).kind, 'guest');
  });

  it('signs guest tokens for a few hours at most', async () => {
    const guest = await verifier.signGuest({ guestId: 'g', meetingId: randomUUID(), name: 'x' });
    const { exp, iat } = JSON.parse(Buffer.from(guest.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    assert.ok(exp - iat <= 4 * 60 * 60, `guest token lives ${String(exp - iat)} s`);
  });

  it('round-trips a guest scoped to one meeting', async () => {
    const meetingId = randomUUID();
    const token = await verifier.signGuest({ guestId: 'guest-1', meetingId, name: 'Visitor' });
    assert.deepEqual(await verifier.verify(token), { kind: 'guest', guestId: 'guest-1', meetingId, name: 'Visitor' });
  });

  it('refuses a self-issued token from another deployment', async () => {
    const other = new TokenVerifier({ users: {}, selfSecret: 'a-different-deployment-secret-0000' });
    const token = await other.signGuest({ guestId: 'g', meetingId: randomUUID(), name: 'x' });
    await rejects(verifier, token, /signature/);
  });

  it('trusts no user tokens when no identity provider is configured', async () => {
    await rejects(verifier, await signHs256(supabaseClaims()));
  });
});

describe('TokenVerifier remembering verified tokens', () => {
  let clock = Date.now();
  const verifier = new TokenVerifier({
    users: { secret: SUPABASE_SECRET, issuer: SUPABASE_ISSUER, audience: 'authenticated' },
    selfSecret: SELF_SECRET,
    now: () => clock,
  });
  const at = () => Math.floor(clock / 1000);

  it('answers the same frozen caller for the same token, so no request can alter another’s', async () => {
    const token = await signHs256(supabaseClaims({ iat: at(), exp: at() + 3600 }));
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    assert.equal(second, first);
    assert.ok(Object.isFrozen(first));
  });

  it('stops honouring a remembered token once it expires (with the usual 5 s tolerance)', async () => {
    const token = await signHs256(supabaseClaims({ iat: at(), exp: at() + 30 }));
    assert.equal((await verifier.verify(token)).kind, 'user');
    clock += 34_000;
    assert.equal((await verifier.verify(token)).kind, 'user', 'within the tolerance');
    clock += 2_000;
    await rejects(verifier, token, /expired/);
  });

  it('checks the signature again after a minute, even for a long-lived token', async () => {
    const keyed = new TokenVerifier({ users: { secret: SUPABASE_SECRET }, selfSecret: SELF_SECRET, now: () => clock });
    const token = await signHs256(supabaseClaims({ iat: at(), exp: at() + 3600 }));
    const first = await keyed.verify(token);
    clock += 30_000;
    assert.equal(await keyed.verify(token), first, 'still remembered');
    clock += 31_000;
    const again = await keyed.verify(token);
    assert.notEqual(again, first, 'verified afresh');
    assert.deepEqual(again, first);
  });

  it('checks a token once when calls bring it at the same time: they all get the one caller', async () => {
    const token = await signHs256(supabaseClaims({ iat: at(), exp: at() + 3600 }));
    const callers = await Promise.all([verifier.verify(token), verifier.verify(token), verifier.verify(token)]);
    assert.equal(callers[1], callers[0]);
    assert.equal(callers[2], callers[0]);
  });

  it('a check that failed is not reused: the same token is checked afresh by the next call', async () => {
    const token = await signHs256(supabaseClaims({ iat: at(), nbf: at() + 60, exp: at() + 3600 }));
    const early = await Promise.allSettled([verifier.verify(token), verifier.verify(token)]);
    assert.deepEqual(
      early.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
      'not valid yet',
    );
    clock += 61_000;
    assert.equal((await verifier.verify(token)).kind, 'user');
  });

  it('remembers the exact token only: one byte changed is verified, and refused', async () => {
    const token = await signHs256(supabaseClaims({ iat: at(), exp: at() + 3600 }));
    await verifier.verify(token);
    const signature = token.slice(token.lastIndexOf('.') + 1);
    const flipped = `${token.slice(0, token.lastIndexOf('.') + 1)}${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await rejects(verifier, flipped, /signature/);
  });
});
