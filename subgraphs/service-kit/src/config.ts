import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates environment variables against a zod schema. Fails at start-up naming every bad variable at
 * once, never just the first.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse({ ...env });
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

/** Common variable shapes. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url(),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
};

/**
 * Secrets published in this repository (the demo start command's and docker-compose's old default): anyone can sign
 * tokens with them, so a deployable started on its own refuses them. Only `npm start` (which builds its
 * configuration in code, not from this validation) uses the first.
 */
export const DEMO_JWT_SECRET = 'mash-graph-local-development-secret-do-not-use-in-production';
export const PUBLIC_DEVELOPMENT_SECRETS: readonly string[] = [
  DEMO_JWT_SECRET,
  'change-me-local-development-secret-0123456789',
];

/** The password of the demo's embedded PostgreSQL and of stock `postgres` images: refused outside the demo. */
export const DEFAULT_DATABASE_PASSWORD = 'postgres';

/** True when a PostgreSQL URL carries the default password. */
export function usesDefaultDatabasePassword(url: string): boolean {
  try {
    return decodeURIComponent(new URL(url).password) === DEFAULT_DATABASE_PASSWORD;
  } catch {
    return false;
  }
}

const seconds = (fallback: number, max: number) => z.coerce.number().int().min(0).max(max).default(fallback);

/** JWT settings shared by the gateway and every subgraph (they verify the same tokens). */
export const jwtConfigSchema = z
  .object({
    JWT_ALGORITHM: z.enum(['HS256', 'RS256', 'ES256']).default('HS256'),
    JWT_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .refine((s) => !PUBLIC_DEVELOPMENT_SECRETS.includes(s), {
        message:
          'is the public development secret from this repository: anyone could sign tokens with it. ' +
          'Set a secret of your own (e.g. `openssl rand -hex 32`); only `npm start` runs with the demo secret',
      })
      .optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    /** The identity provider's JWKS (RS256/ES256): keys picked by `kid`, cached and fetched again on rotation. */
    JWT_JWKS_URL: z.url().optional(),
    /** Least time between two JWKS fetches triggered by an unknown `kid`. */
    JWT_JWKS_COOLDOWN_SECONDS: seconds(30, 3600),
    /** How long a fetched JWKS is used before it is fetched again. */
    JWT_JWKS_MAX_AGE_SECONDS: seconds(600, 86_400),
    /** Leeway for clock skew on `exp`, `nbf` and `iat`. */
    JWT_CLOCK_TOLERANCE_SECONDS: seconds(5, 300),
    /** A token whose `exp - iat` exceeds this is refused, however valid its signature. */
    JWT_MAX_TOKEN_LIFETIME_SECONDS: seconds(43_200, 604_800),
    JWT_ISSUER: z.string().default('mash-graph'),
    JWT_AUDIENCE: z.string().default('mash-graph'),
    /** A token the service presents when it calls another service; minted from JWT_SECRET when absent. */
    SERVICE_TOKEN: z.string().optional(),
    /** OAuth 2.0 client credentials at the identity provider: service tokens are fetched and renewed there. */
    SERVICE_TOKEN_URL: z.url().optional(),
    SERVICE_CLIENT_ID: z.string().optional(),
    SERVICE_CLIENT_SECRET: z.string().optional(),
  })
  .refine((c) => (c.JWT_ALGORITHM === 'HS256' ? !!c.JWT_SECRET : !!c.JWT_PUBLIC_KEY || !!c.JWT_JWKS_URL), {
    message: 'HS256 needs JWT_SECRET; RS256 and ES256 need JWT_JWKS_URL or JWT_PUBLIC_KEY (PEM)',
    path: ['JWT_SECRET'],
  })
  .refine((c) => !c.SERVICE_TOKEN_URL || (!!c.SERVICE_CLIENT_ID && !!c.SERVICE_CLIENT_SECRET), {
    message: 'SERVICE_TOKEN_URL needs SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET',
    path: ['SERVICE_TOKEN_URL'],
  });
/** Parsed JWT settings; the tuning knobs have defaults, so configurations built in code may leave them out. */
export type JwtConfig = Omit<
  z.infer<typeof jwtConfigSchema>,
  | 'JWT_JWKS_COOLDOWN_SECONDS'
  | 'JWT_JWKS_MAX_AGE_SECONDS'
  | 'JWT_CLOCK_TOLERANCE_SECONDS'
  | 'JWT_MAX_TOKEN_LIFETIME_SECONDS'
> &
  Partial<
    Pick<
      z.infer<typeof jwtConfigSchema>,
      | 'JWT_JWKS_COOLDOWN_SECONDS'
      | 'JWT_JWKS_MAX_AGE_SECONDS'
      | 'JWT_CLOCK_TOLERANCE_SECONDS'
      | 'JWT_MAX_TOKEN_LIFETIME_SECONDS'
    >
  >;

/** Defaults of the tuning knobs, for configurations built in code. */
export const JWT_DEFAULTS = {
  JWT_JWKS_COOLDOWN_SECONDS: 30,
  JWT_JWKS_MAX_AGE_SECONDS: 600,
  JWT_CLOCK_TOLERANCE_SECONDS: 5,
  JWT_MAX_TOKEN_LIFETIME_SECONDS: 43_200,
} as const;

/** Picks the JWT settings out of a parsed environment that includes `jwtConfigSchema`. */
export function jwtConfigOf(parsed: z.infer<typeof jwtConfigSchema>): JwtConfig {
  return {
    JWT_ALGORITHM: parsed.JWT_ALGORITHM,
    JWT_SECRET: parsed.JWT_SECRET,
    JWT_PUBLIC_KEY: parsed.JWT_PUBLIC_KEY,
    JWT_JWKS_URL: parsed.JWT_JWKS_URL,
    JWT_JWKS_COOLDOWN_SECONDS: parsed.JWT_JWKS_COOLDOWN_SECONDS,
    JWT_JWKS_MAX_AGE_SECONDS: parsed.JWT_JWKS_MAX_AGE_SECONDS,
    JWT_CLOCK_TOLERANCE_SECONDS: parsed.JWT_CLOCK_TOLERANCE_SECONDS,
    JWT_MAX_TOKEN_LIFETIME_SECONDS: parsed.JWT_MAX_TOKEN_LIFETIME_SECONDS,
    JWT_ISSUER: parsed.JWT_ISSUER,
    JWT_AUDIENCE: parsed.JWT_AUDIENCE,
    SERVICE_TOKEN: parsed.SERVICE_TOKEN,
    SERVICE_TOKEN_URL: parsed.SERVICE_TOKEN_URL,
    SERVICE_CLIENT_ID: parsed.SERVICE_CLIENT_ID,
    SERVICE_CLIENT_SECRET: parsed.SERVICE_CLIENT_SECRET,
  };
}
