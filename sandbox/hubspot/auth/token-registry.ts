/**
 * OAuth access and refresh tokens, authorization codes and private-app tokens. Access tokens
 * expire (30 minutes unless told otherwise); refresh tokens do not rotate, as with HubSpot.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ALL_SCOPES } from '../store/object-types';

export interface AppCredentials {
  appId: number;
  clientId: string;
  clientSecret: string;
}

export interface AccessToken {
  token: string;
  kind: 'oauth' | 'private';
  portalId: number;
  appId: number;
  userId: number;
  user: string;
  scopes: readonly string[];
  issuedAt: number;
  /** Infinity for private-app tokens. */
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

export interface RefreshToken {
  token: string;
  portalId: number;
  appId: number;
  clientId: string;
  userId: number;
  user: string;
  scopes: readonly string[];
  revoked: boolean;
}

interface AuthCode {
  code: string;
  portalId: number;
  redirectUri?: string;
  scopes: readonly string[];
  userId: number;
  user: string;
  expiresAt: number;
  used: boolean;
}

export interface InstallingUser {
  userId: number;
  user: string;
}

export interface IssueOptions {
  /** Lifetime of the access token in seconds. Default 1800. */
  expiresInSec?: number;
  /** Granted scopes; default all the scopes the sandbox knows. */
  scopes?: readonly string[];
}

export interface IssuedTokens {
  token_type: 'bearer';
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

const CODE_TTL_MS = 10 * 60_000;

export class TokenRegistry {
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthCode>();

  constructor(
    readonly app: AppCredentials,
    private readonly clock: () => number,
    private readonly userFor: (portalId: number) => InstallingUser,
    private readonly defaultTtlSec: () => number,
  ) {}

  /** Access + refresh token for a portal, as if the app had been installed there. */
  issue(portalId: number, opts: IssueOptions = {}): IssuedTokens {
    const u = this.userFor(portalId);
    const refresh: RefreshToken = {
      token: `na1-${randomUUID().slice(0, 4)}-${randomUUID()}`,
      portalId,
      appId: this.app.appId,
      clientId: this.app.clientId,
      userId: u.userId,
      user: u.user,
      scopes: opts.scopes ?? ALL_SCOPES,
      revoked: false,
    };
    this.refresh.set(refresh.token, refresh);
    return this.issueFromRefresh(refresh, opts.expiresInSec);
  }

  /** A new access token for a refresh token (the refresh token itself stays the same). */
  issueFromRefresh(refresh: RefreshToken, expiresInSec = this.defaultTtlSec()): IssuedTokens {
    const now = this.clock();
    const token: AccessToken = {
      token: 'C' + randomBytes(48).toString('base64url'),
      kind: 'oauth',
      portalId: refresh.portalId,
      appId: refresh.appId,
      userId: refresh.userId,
      user: refresh.user,
      scopes: refresh.scopes,
      issuedAt: now,
      expiresAt: now + expiresInSec * 1000,
      revoked: false,
      refreshToken: refresh.token,
    };
    this.access.set(token.token, token);
    return { token_type: 'bearer', access_token: token.token, refresh_token: refresh.token, expires_in: expiresInSec };
  }

  /** A private-app access token (`pat-na1-…`): no expiry, its own rate limits. */
  createPrivateAppToken(portalId: number, opts: { scopes?: readonly string[]; appId?: number } = {}): string {
    const u = this.userFor(portalId);
    const token: AccessToken = {
      token: `pat-na1-${randomUUID()}`,
      kind: 'private',
      portalId,
      appId: opts.appId ?? 9_000_000 + (portalId % 1_000_000),
      userId: u.userId,
      user: u.user,
      scopes: opts.scopes ?? ALL_SCOPES,
      issuedAt: this.clock(),
      expiresAt: Infinity,
      revoked: false,
    };
    this.access.set(token.token, token);
    return token.token;
  }

  /** Simulates a user approving the install: the code the redirect to the app would carry. */
  authorizeCode(portalId: number, opts: { redirectUri?: string; scopes?: readonly string[] } = {}): string {
    const u = this.userFor(portalId);
    const code = randomUUID();
    this.codes.set(code, {
      code,
      portalId,
      redirectUri: opts.redirectUri,
      scopes: opts.scopes ?? ALL_SCOPES,
      userId: u.userId,
      user: u.user,
      expiresAt: this.clock() + CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** Redeems a code once. `reason` says why not. */
  redeemCode(code: string, redirectUri: string | undefined): { ok: true; tokens: IssuedTokens } | { ok: false; reason: 'unknown' | 'expired' | 'redirect_mismatch' } {
    const c = this.codes.get(code);
    if (!c || c.used) return { ok: false, reason: 'unknown' };
    if (c.expiresAt < this.clock()) return { ok: false, reason: 'expired' };
    if (c.redirectUri !== undefined && c.redirectUri !== redirectUri) return { ok: false, reason: 'redirect_mismatch' };
    c.used = true;
    return { ok: true, tokens: this.issue(c.portalId, { scopes: c.scopes }) };
  }

  lookupAccess(token: string): AccessToken | undefined {
    return this.access.get(token);
  }

  lookupRefresh(token: string): RefreshToken | undefined {
    return this.refresh.get(token);
  }

  /** Revokes an access or refresh token; revoking a refresh token also revokes its access tokens. */
  revoke(token: string): boolean {
    const a = this.access.get(token);
    if (a) {
      a.revoked = true;
      return true;
    }
    const r = this.refresh.get(token);
    if (!r) return false;
    r.revoked = true;
    for (const t of this.access.values()) if (t.refreshToken === token) t.revoked = true;
    return true;
  }

  /** Makes an access token expired as of now. */
  expire(token: string): boolean {
    const a = this.access.get(token);
    if (!a) return false;
    a.expiresAt = this.clock() - 1;
    return true;
  }
}
