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

/** JWT settings shared by the gateway and every subgraph (they verify the same tokens). */
export const jwtConfigSchema = z
  .object({
    JWT_ALGORITHM: z.enum(['HS256', 'RS256', 'ES256']).default('HS256'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_PUBLIC_KEY: z.string().optional(),
    JWT_ISSUER: z.string().default('mash-graph'),
    JWT_AUDIENCE: z.string().default('mash-graph'),
    /** A token the service presents when it calls another service; minted from JWT_SECRET when absent. */
    SERVICE_TOKEN: z.string().optional(),
  })
  .refine((c) => (c.JWT_ALGORITHM === 'HS256' ? !!c.JWT_SECRET : !!c.JWT_PUBLIC_KEY), {
    message: 'HS256 needs JWT_SECRET; RS256 and ES256 need JWT_PUBLIC_KEY (PEM)',
    path: ['JWT_SECRET'],
  });
export type JwtConfig = z.infer<typeof jwtConfigSchema>;

/** Picks the JWT settings out of a parsed environment that includes `jwtConfigSchema`. */
export function jwtConfigOf(parsed: JwtConfig): JwtConfig {
  return {
    JWT_ALGORITHM: parsed.JWT_ALGORITHM,
    JWT_SECRET: parsed.JWT_SECRET,
    JWT_PUBLIC_KEY: parsed.JWT_PUBLIC_KEY,
    JWT_ISSUER: parsed.JWT_ISSUER,
    JWT_AUDIENCE: parsed.JWT_AUDIENCE,
    SERVICE_TOKEN: parsed.SERVICE_TOKEN,
  };
}
