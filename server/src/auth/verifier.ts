import {
  SignJWT,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { ApiError } from '../errors.js';
import { emailFromClaims, nameFromClaims, type Caller } from './identity.js';

/** Issuer of the tokens this server signs itself (dev sessions, guests). */
export const SELF_ISSUER = 'meeting-widget';
export const SELF_AUDIENCE = 'meeting-widget';

/** Longest a guest token lives (a meeting's end revokes it sooner). */
export const GUEST_TOKEN_TTL_SECONDS = 4 * 60 * 60;

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * How long a verified token is taken on trust before its signature is checked again, at most: a
 * key withdrawn from the JWKS stops being honoured after this, as it would once the JWKS cache ends.
 */
const VERIFIED_TRUST_MS = 60_000;

const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface UserTokenSource {
  /** HS256 shared secret (e.g. a Supabase project's legacy JWT secret). */
  secret?: string | undefined;
  /** JWKS endpoint (e.g. `<project>/auth/v1/.well-known/jwks.json`). */
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

export interface VerifierOptions {
  /** The host site's identity provider. */
  users: UserTokenSource;
  /** Key for the tokens this server issues; shared by every instance of a deployment. */
  selfSecret: string;
  /** Lifetime of dev-session tokens. */
  selfTokenTtlSeconds?: number;
  /** Lifetime of guest tokens, at most; a guest token also stops working when its meeting ends. */
  guestTokenTtlSeconds?: number;
  /**
   * Whether user tokens this server signed itself (the dev sign-in) are honoured. Only in dev
   * mode: anywhere else users come from the host site's identity provider, and a leaked or derived
   * session secret must not make anyone a host. Guest tokens are honoured either way.
   */
  acceptSelfSignedUsers?: boolean;
  /** Milliseconds since the epoch; tests move it to see tokens expire. */
  now?: () => number;
}

interface Entry {
  issuer: string | undefined;
  audience: string | undefined;
  algorithms: string[];
  key: Uint8Array | JWTVerifyGetKey;
  self: boolean;
}

export class TokenVerifier {
  private readonly entries: Entry[] = [];
  /**
   * Callers by the exact token they presented, until it expires: a widget calls with the same
   * token many times, and checking a signature costs more than the rest of a typical request.
   */
  private readonly verified: LRUCache<string, Caller>;
  /** Checks under way, by token. */
  private readonly verifying = new Map<string, Promise<Caller>>();
  private readonly now: () => number;
  private readonly selfKey: Uint8Array;
  private readonly selfTtl: number;
  private readonly guestTtl: number;
  private readonly acceptSelfSignedUsers: boolean;

  constructor(options: VerifierOptions) {
    const encoder = new TextEncoder();
    this.selfKey = encoder.encode(options.selfSecret);
    this.selfTtl = options.selfTokenTtlSeconds ?? 12 * 60 * 60;
    this.guestTtl = options.guestTokenTtlSeconds ?? GUEST_TOKEN_TTL_SECONDS;
    this.acceptSelfSignedUsers = options.acceptSelfSignedUsers ?? false;
    const now = options.now ?? Date.now;
    this.now = now;
    this.verified = new LRUCache({ max: 10_000, perf: { now }, ttlResolution: 0 });
    this.entries.push({ issuer: SELF_ISSUER, audience: SELF_AUDIENCE, algorithms: ['HS256'], key: this.selfKey, self: true });
    const { users } = options;
    // Each source gets only its own algorithms, so a token signed with a public key used as an
    // HMAC secret (the classic alg confusion) never meets a key that would accept it.
    if (users.jwksUrl !== undefined) {
      this.entries.push({
        issuer: users.issuer,
        audience: users.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        key: createRemoteJWKSet(new URL(users.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 }),
        self: false,
      });
    }
    if (users.secret !== undefined) {
      this.entries.push({ issuer: users.issuer, audience: users.audience, algorithms: ['HS256'], key: encoder.encode(users.secret), self: false });
    }
  }

  /** Verifies a bearer token; throws INVALID_TOKEN for anything but a valid, current token. */
  async verify(token: string): Promise<Caller> {
    const known = this.verified.get(token);
    if (known !== undefined) return known;
    // A page fires several calls at once with one token, and every token a busy instance knows
    // comes due together after a restart: calls that arrive while the token is being checked wait
    // for that check instead of each doing it again.
    const pending = this.verifying.get(token);
    if (pending !== undefined) return pending;
    const check = this.check(token).finally(() => {
      this.verifying.delete(token);
    });
    this.verifying.set(token, check);
    return check;
  }

  private async check(token: string): Promise<Caller> {
    let issuer: unknown;
    let algorithm: unknown;
    try {
      issuer = decodeJwt(token).iss;
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new ApiError('INVALID_TOKEN', 'The bearer token is not a JWT.');
    }
    const candidates = this.entries.filter(
      (entry) =>
        (entry.self ? issuer === SELF_ISSUER : issuer !== SELF_ISSUER && (entry.issuer === undefined || entry.issuer === issuer)) &&
        typeof algorithm === 'string' &&
        entry.algorithms.includes(algorithm),
    );
    if (candidates.length === 0) throw new ApiError('INVALID_TOKEN', 'The bearer token is not from a trusted issuer or uses an algorithm it does not.');

    let lastError: unknown = null;
    for (const entry of candidates) {
      try {
        const options = {
          algorithms: entry.algorithms,
          requiredClaims: ['sub', 'exp'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: new Date(this.now()),
          ...(entry.issuer === undefined ? {} : { issuer: entry.issuer }),
          ...(entry.audience === undefined ? {} : { audience: entry.audience }),
        };
        const { payload } =
          entry.key instanceof Uint8Array ? await jwtVerify(token, entry.key, options) : await jwtVerify(token, entry.key, options);
        const caller = Object.freeze(entry.self ? this.selfCaller(payload) : userCaller(payload));
        this.trust(token, caller, payload);
        return caller;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        lastError = err;
      }
    }
    throw new ApiError('INVALID_TOKEN', describe(lastError));
  }

  /** Remembers a verified token until it would stop verifying, or for VERIFIED_TRUST_MS. */
  private trust(token: string, caller: Caller, payload: JWTPayload): void {
    // `exp` is required, so it is a number here.
    const expiresInMs = ((payload.exp ?? 0) + CLOCK_TOLERANCE_SECONDS) * 1000 - this.now();
    const ttl = Math.min(VERIFIED_TRUST_MS, expiresInMs);
    if (ttl > 0) this.verified.set(token, caller, { ttl });
  }

  /** A user token signed by this server (dev sign-in). */
  async signUser(user: { userId: string; email: string | null; name: string | null }): Promise<string> {
    return this.sign({ kind: 'user', ...(user.email === null ? {} : { email: user.email }), ...(user.name === null ? {} : { name: user.name }) }, user.userId, this.selfTtl);
  }

  /** A token for an anonymous guest, valid for one meeting only. */
  async signGuest(guest: { guestId: string; meetingId: string; name: string }): Promise<string> {
    return this.sign({ kind: 'guest', mid: guest.meetingId, name: guest.name }, guest.guestId, this.guestTtl);
  }

  private async sign(claims: JWTPayload, subject: string, ttlSeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(SELF_ISSUER)
      .setAudience(SELF_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(this.now() / 1000) + ttlSeconds)
      .sign(this.selfKey);
  }

  private selfCaller(payload: JWTPayload): Caller {
    const subject = payload.sub ?? '';
    if (payload.kind === 'guest') {
      const meetingId = payload.mid;
      const name = payload.name;
      if (typeof meetingId !== 'string' || typeof name !== 'string') throw new ApiError('INVALID_TOKEN', 'The guest token is incomplete.');
      return { kind: 'guest', guestId: subject, meetingId, name };
    }
    if (!this.acceptSelfSignedUsers) throw new ApiError('INVALID_TOKEN', 'This server signs user tokens only in dev mode; sign in with the site’s identity provider.');
    return userCaller(payload);
  }
}

function userCaller(payload: JWTPayload): Caller {
  const userId = payload.sub;
  if (typeof userId !== 'string' || userId === '' || userId.length > 255) throw new ApiError('INVALID_TOKEN', 'The token has no usable subject.');
  return { kind: 'user', userId, email: emailFromClaims(payload), name: nameFromClaims(payload) };
}

function describe(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The bearer token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The bearer token's ${err.claim} claim is not accepted.`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'The bearer token signature does not verify.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'No trusted key matches the bearer token.';
  if (err instanceof joseErrors.JOSEError) return 'The bearer token is not valid.';
  return 'The bearer token could not be verified.';
}
