/**
 * OAuth state: authorization codes (single use, 15 minutes, bound to the redirect URI and the PKCE
 * challenge), and token families. A family is one grant (one approval, or one `issueTokens`): its
 * access tokens and its chain of refresh tokens. With rotation on, every refresh hands out a new
 * refresh token and retires the old one; presenting a retired one again revokes the whole family.
 * Access tokens die after `sessionTimeoutSec` without use (Salesforce sessions time out on inactivity).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

export interface AccessToken {
  token: string;
  orgId: string;
  userId: string;
  familyId: number;
  scope: string;
  issuedAt: number;
  lastUsed: number;
  revoked: boolean;
  expired: boolean;
}

interface RefreshToken {
  token: string;
  familyId: number;
  /** Set once rotated: the token is retired, and presenting it again revokes the family. */
  retired: boolean;
}

interface Family {
  id: number;
  orgId: string;
  userId: string;
  scope: string;
  revoked: boolean;
  viaCode: boolean;
  createdAt: number;
  accessTokens: Set<string>;
  refreshTokens: Set<string>;
}

export interface AuthCode {
  code: string;
  orgId: string;
  userId: string;
  redirectUri: string;
  codeChallenge?: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

export interface TokenSettings {
  clientSecret: string;
  rotateRefreshTokens: boolean;
  sessionTimeoutMs: number;
  /** Most code-grant families per user and app; the oldest is revoked past it. */
  maxGrantsPerUser: number;
  /** Scopes granted when the authorize request names none. */
  defaultScopes: readonly string[];
  loginUrl(): string;
  instanceUrl(): string;
  clock(): number;
}

export type RefreshOutcome = { ok: true; response: TokenResponse } | { ok: false; reason: 'unknown' | 'revoked' | 'reused' };

export type RedeemOutcome =
  | { ok: true; response: TokenResponse }
  | { ok: false; error: 'invalid_grant' | 'redirect_uri_mismatch'; description: string };

const CODE_TTL_MS = 15 * 60_000;

export class TokenRegistry {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly families = new Map<number, Family>();
  private readonly codes = new Map<string, AuthCode>();
  private nextFamily = 1;

  constructor(private readonly settings: TokenSettings) {}

  /** A new grant for a user of an org: access token and (when the scope allows) refresh token. */
  grant(orgId: string, userId: string, scope: string, viaCode: boolean): TokenResponse {
    const family: Family = { id: this.nextFamily++, orgId, userId, scope, revoked: false, viaCode, createdAt: this.settings.clock(), accessTokens: new Set(), refreshTokens: new Set() };
    this.families.set(family.id, family);
    if (viaCode) this.enforceGrantLimit(orgId, userId);
    const refresh = hasRefreshScope(scope) ? this.newRefreshToken(family) : undefined;
    return this.respond(family, refresh);
  }

  private enforceGrantLimit(orgId: string, userId: string): void {
    const live = [...this.families.values()].filter((f) => f.viaCode && !f.revoked && f.orgId === orgId && f.userId === userId);
    while (live.length > this.settings.maxGrantsPerUser) {
      const oldest = live.shift() as Family;
      this.revokeFamily(oldest);
    }
  }

  private newRefreshToken(family: Family): string {
    const token = '5Aep861' + randomBytes(64).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').replace(/=+$/, '');
    this.refresh.set(token, { token, familyId: family.id, retired: false });
    family.refreshTokens.add(token);
    return token;
  }

  private respond(family: Family, refreshToken: string | undefined): TokenResponse {
    const now = this.settings.clock();
    const token = `${family.orgId.slice(0, 15)}!` + randomBytes(72).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').replace(/=+$/, '');
    this.access.set(token, { token, orgId: family.orgId, userId: family.userId, familyId: family.id, scope: family.scope, issuedAt: now, lastUsed: now, revoked: false, expired: false });
    family.accessTokens.add(token);
    const id = `${this.settings.loginUrl()}/id/${family.orgId}/${family.userId}`;
    const issuedAt = String(now);
    const signature = createHmac('sha256', this.settings.clientSecret).update(id + issuedAt).digest('base64');
    const response: TokenResponse = { access_token: token, signature, scope: family.scope, instance_url: this.settings.instanceUrl(), id, token_type: 'Bearer', issued_at: issuedAt };
    if (refreshToken) return { access_token: token, refresh_token: refreshToken, signature, scope: family.scope, instance_url: response.instance_url, id, token_type: 'Bearer', issued_at: issuedAt };
    return response;
  }

  /** The refresh-token grant, with rotation and reuse detection. */
  refreshGrant(token: string): RefreshOutcome {
    const r = this.refresh.get(token);
    if (!r) return { ok: false, reason: 'unknown' };
    const family = this.families.get(r.familyId) as Family;
    if (family.revoked) return { ok: false, reason: 'revoked' };
    if (r.retired) {
      this.revokeFamily(family);
      return { ok: false, reason: 'reused' };
    }
    let next: string | undefined;
    if (this.settings.rotateRefreshTokens) {
      r.retired = true;
      next = this.newRefreshToken(family);
    }
    return { ok: true, response: this.respond(family, next) };
  }

  authorizeCode(input: Omit<AuthCode, 'code' | 'expiresAt' | 'used'>): string {
    // Salesforce codes are base64 with padding (`…==`): a redirect carries them URL-encoded.
    const code = 'aPrx' + randomBytes(58).toString('base64');
    this.codes.set(code, { ...input, code, expiresAt: this.settings.clock() + CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(code: string, redirectUri: string | undefined, verifier: string | undefined): RedeemOutcome {
    const c = this.codes.get(code);
    if (!c || c.used) return { ok: false, error: 'invalid_grant', description: 'invalid authorization code' };
    if (c.expiresAt < this.settings.clock()) return { ok: false, error: 'invalid_grant', description: 'expired authorization code' };
    if (redirectUri !== c.redirectUri) return { ok: false, error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration' };
    if (c.codeChallenge !== undefined) {
      // Salesforce takes the verifier as base64url: a `~` (allowed by RFC 7636) is refused. No upper
      // length limit: jsforce's own verifiers are 171 characters.
      const ok = verifier !== undefined && /^[A-Za-z0-9\-._]{43,}$/.test(verifier) && s256(verifier) === c.codeChallenge;
      if (!ok) {
        c.used = true;
        return { ok: false, error: 'invalid_grant', description: 'invalid code verifier' };
      }
    }
    c.used = true;
    return { ok: true, response: this.grant(c.orgId, c.userId, c.scope, true) };
  }

  /** The live access token, or undefined (unknown, revoked, expired). Using it extends the session. */
  authenticate(token: string): AccessToken | undefined {
    const a = this.access.get(token);
    if (!a || a.revoked || a.expired) return undefined;
    const now = this.settings.clock();
    if (now - a.lastUsed > this.settings.sessionTimeoutMs) {
      a.expired = true;
      return undefined;
    }
    a.lastUsed = now;
    return a;
  }

  /** Revokes an access token (just it) or a refresh token (its whole family). */
  revoke(token: string): boolean {
    const a = this.access.get(token);
    if (a) {
      a.revoked = true;
      return true;
    }
    const r = this.refresh.get(token);
    if (!r) return false;
    this.revokeFamily(this.families.get(r.familyId) as Family);
    return true;
  }

  /** Every token of a family stops working. */
  private revokeFamily(family: Family): void {
    family.revoked = true;
    for (const t of family.accessTokens) {
      const a = this.access.get(t);
      if (a) a.revoked = true;
    }
  }

  expire(token: string): boolean {
    const a = this.access.get(token);
    if (!a) return false;
    a.expired = true;
    return true;
  }

  /** What the sandbox knows of a token, for tests. */
  info(token: string): { kind: 'access' | 'refresh'; active: boolean; orgId: string; userId: string; family: number; retired?: boolean } | undefined {
    const a = this.access.get(token);
    if (a) return { kind: 'access', active: !a.revoked && !a.expired && this.settings.clock() - a.lastUsed <= this.settings.sessionTimeoutMs, orgId: a.orgId, userId: a.userId, family: a.familyId };
    const r = this.refresh.get(token);
    if (!r) return undefined;
    const f = this.families.get(r.familyId) as Family;
    return { kind: 'refresh', active: !f.revoked && !r.retired, orgId: f.orgId, userId: f.userId, family: f.id, retired: r.retired };
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function hasRefreshScope(scope: string): boolean {
  const scopes = scope.split(/\s+/);
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}
