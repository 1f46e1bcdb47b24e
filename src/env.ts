import { z } from 'zod';

const key32 = z
  .string()
  .refine((s) => decodeKey(s) !== undefined, 'TOKEN_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64');

/** The environment of ../shared/CONTRACT.md, validated. Secrets have no defaults. */
export const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.string().url().optional(),
    CONFIG_DIR: z.string().default('./config'),
    TOKEN_ENCRYPTION_KEY: key32.optional(),
    ADMIN_TOKEN: z.string().min(1).optional(),
    HUBSPOT_CLIENT_ID: z.string().optional(),
    HUBSPOT_CLIENT_SECRET: z.string().optional(),
    HUBSPOT_APP_ID: z.string().optional(),
    HUBSPOT_API_BASE_URL: z.string().url().default('https://api.hubapi.com'),
    HUBSPOT_AUTHORIZE_URL: z.string().url().default('https://app.hubspot.com/oauth/authorize'),
    SALESFORCE_CLIENT_ID: z.string().optional(),
    SALESFORCE_CLIENT_SECRET: z.string().optional(),
    SALESFORCE_LOGIN_URL: z.string().url().default('https://login.salesforce.com'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.TOKEN_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_ENCRYPTION_KEY'], message: 'TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production' });
    }
  })
  .transform((env) => ({ ...env, PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '') }));

export type Env = z.output<typeof envSchema>;

/** Reads and validates the environment; throws one message listing every problem. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** A 32-byte key from 64 hex characters or base64; undefined when it is neither. */
export function decodeKey(s: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  const b = Buffer.from(s, 'base64');
  return b.length === 32 ? b : undefined;
}
