import proxyAddr from '@fastify/proxy-addr';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The environment, validated once at start-up. This file is the only place that reads
 * process.env; everything else receives an AppConfig.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, { message: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const nonNegative = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { message: 'must be a non-negative number' })
  .transform(Number);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' });

/** proxy-addr's names for the loopback, link-local and unique-local ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** More proxies than this in a row is a mistake in the setting, not a deployment. */
const MAX_PROXY_HOPS = 32;

/**
 * TRUST_PROXY: `false` (or 0), a hop count, or a comma list of proxy addresses/CIDRs. `true`
 * (believe every hop) is refused: the left-most X-Forwarded-For entry is whatever the client
 * wrote, so every client could choose its own address and with it a fresh rate-limit budget.
 */
const trustProxy = z.string().transform((raw, ctx): TrustProxy => {
  const v = raw.trim().toLowerCase();
  if (v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes') {
    ctx.addIssue({
      code: 'custom',
      message:
        'true would believe every hop, so any client could pick its own address; give a hop count ' +
        '(how many proxies are in front of Dateline, e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8)',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops <= MAX_PROXY_HOPS) return hops;
    ctx.addIssue({ code: 'custom', message: `a hop count must be at most ${MAX_PROXY_HOPS}` });
    return z.NEVER;
  }
  const entries = raw.split(',').map((s) => s.trim());
  for (const entry of entries) {
    try {
      // A whole address (proxy-addr alone would read `1.5` as 1.0.0.5), or one of proxy-addr's
      // names; then the same parser Fastify compiles the list with, so what passes here works there.
      if (!PROXY_RANGE_NAMES.has(entry) && !isIP(entry.split('/')[0])) throw new Error(entry);
      proxyAddr.compile(entry);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(entry)} is not an IP address or CIDR; use false, a hop count, or a comma list of addresses/CIDRs`,
      });
      return z.NEVER;
    }
  }
  return entries;
});

/** What ARTICLE_URL_TEMPLATE may name (src/delivery/article-url.ts fills them in). */
export const URL_PLACEHOLDERS = ['{section}', '{slug}', '{id}', '{yyyy}', '{mm}', '{dd}', '{locale}'];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(postgresUrl)),
  DB_POOL_SIZE: int(1, 1000).default(10),
  DB_ACQUIRE_TIMEOUT_MS: int(1).default(2000),
  DB_STATEMENT_TIMEOUT_MS: int(0).default(5000),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  REACTION_TYPES: z
    .string()
    .default('veryGood')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'each type must be a short identifier'))
        .min(1, 'must name at least one type'),
    ),
  RATE_LIMIT_REACTIONS_PER_MINUTE: int(0).default(120),
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: int(0).default(20),
  RATE_LIMIT_SEARCHES_PER_MINUTE: int(0).default(60),
  RATE_LIMIT_GRAPHQL_COST_PER_MINUTE: int(0).default(50_000),
  TRUST_PROXY: trustProxy.default(false),
  RANKING_WEIGHT_VIEW: nonNegative.default(1),
  RANKING_WEIGHT_REACTION: nonNegative.default(5),
  IMPORT_MAX_BYTES: int(1024).default(104857600),
  WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(8),
  WEBHOOK_ALLOW_PRIVATE_URLS: bool.default(false),
  AUDIT_RETENTION_DAYS: int(1, 36500).default(365),
  GRAPHQL_INTROSPECTION: bool.optional(),
  METRICS_TOKEN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  MEDIA_STORAGE: z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local'),
  MEDIA_DIR: z.string().min(1).optional(),
  MEDIA_MAX_BYTES: int(1024).default(25 * 1024 * 1024),
  MEDIA_MAX_PIXELS: int(1).default(50_000_000),
  MEDIA_WIDTHS: z
    .string()
    .default('320,640,960,1280,1920')
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,4}$/, 'each width must be a whole number of pixels, 16 to 8192')
            .transform(Number)
            .pipe(
              z
                .number()
                .min(16, 'each width must be at least 16')
                .max(8192, 'each width must be at most 8192'),
            ),
        )
        .min(1, 'must name at least one width'),
    )
    .transform((widths) => [...new Set(widths)].sort((a, b) => a - b)),
  MEDIA_FETCH_ALLOW_PRIVATE_URLS: bool.default(false),
  S3_ENDPOINT: z.string().url({ message: 'must be a URL' }).optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(false),
  PUBLIC_SITE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
      message: 'must be an http(s) URL with no query or fragment, e.g. https://news.example.com',
    })
    .optional(),
  ARTICLE_URL_TEMPLATE: z
    .string()
    .default('/{section}/{slug}')
    .refine((v) => v.startsWith('/') && !/\s|[?#]/.test(v), 'must be a path starting with /')
    .refine(
      (v) => (v.match(/\{[^}]*\}/g) ?? []).every((p) => URL_PLACEHOLDERS.includes(p)),
      `may hold only the placeholders ${URL_PLACEHOLDERS.join(' ')}`,
    )
    .refine((v) => v.includes('{slug}') || v.includes('{id}'), 'must hold {slug} or {id}'),
  SITE_NAME: z.string().trim().min(1).max(200).default('Dateline'),
});

/**
 * Which proxies' X-Forwarded-For to believe. false: none, the connection's peer is the client.
 * A number N: the N nearest hops (the peer, and the addresses the nearer proxies appended) are
 * proxies, so the client is the entry N from the right. A list of addresses/CIDRs (or proxy-addr's
 * names loopback, linklocal, uniquelocal): hops at those addresses are proxies, wherever they are.
 */
export type TrustProxy = false | number | string[];

export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** Unset: the embedded PostgreSQL is started and this is filled in with its address. */
  databaseUrl?: string;
  replicaUrls: string[];
  dbPoolSize: number;
  dbAcquireTimeoutMs: number;
  dbStatementTimeoutMs: number;
  redisUrl?: string;
  adminApiKey?: string;
  reactionTypes: string[];
  rateLimitReactionsPerMinute: number;
  rateLimitAuthFailuresPerMinute: number;
  /** Full-text searches per client (REST `q`, GraphQL `articles(filter: { q })`); 0 = off. */
  rateLimitSearchesPerMinute: number;
  /** GraphQL operation cost (cost-limit.ts) per client; 0 = off. */
  rateLimitGraphqlCostPerMinute: number;
  trustProxy: TrustProxy;
  rankingWeightView: number;
  rankingWeightReaction: number;
  importMaxBytes: number;
  webhookMaxAttempts: number;
  webhookAllowPrivateUrls: boolean;
  /** Audit rows younger than this many days can be neither changed nor deleted, by anyone. */
  auditRetentionDays: number;
  /**
   * Webhook dispatcher tuning; not environment settings (tests shrink them). The first retry
   * waits about webhookRetryBaseMs, each next one twice as long, at most webhookRetryMaxMs.
   */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** How long one delivery may take before it counts as failed. */
  webhookTimeoutMs: number;
  /** How often each instance looks for due events and deliveries (also nudged by local writes). */
  webhookPollIntervalMs: number;
  graphqlIntrospection: boolean;
  metricsToken?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Where the embedded PostgreSQL keeps its files. */
  dataDir: string;
  /**
   * How long a client may take to send a whole request (Fastify's requestTimeout). Not an
   * environment setting: the default (30 s) is right for production; tests shorten it.
   */
  httpRequestTimeoutMs?: number;
  /**
   * How long a connection may sit idle, nothing sent either way, before it is closed (Fastify's
   * connectionTimeout). Not an environment setting: the default (60 s) is right; tests shorten it.
   */
  httpConnectionTimeoutMs?: number;
  media: MediaConfig;
  site: SiteConfig;
}

/** Where the public reads the stories: what article URLs, feeds, sitemaps and structured data name. */
export interface SiteConfig {
  /** PUBLIC_SITE_URL without a trailing slash (default http://localhost:PORT). */
  url: string;
  /** ARTICLE_URL_TEMPLATE: a path with placeholders (see URL_PLACEHOLDERS). */
  articleUrlTemplate: string;
  /** SITE_NAME: the publication, as feeds, news sitemaps and schema.org name it. */
  name: string;
  /**
   * The language of every story until articles carry their own (BCP 47). Not an environment
   * setting yet: only this one locale exists.
   */
  defaultLocale: string;
  /** URLs per sitemap file: 50,000, the protocol's limit. Not an environment setting; tests shrink it. */
  sitemapMaxUrls: number;
}

/** The media library: where originals and renditions are kept, and what an upload may be. */
export interface MediaConfig {
  storage: 'local' | 's3';
  /** The directory of the local store (default DATA_DIR/media). */
  dir: string;
  maxBytes: number;
  maxPixels: number;
  /** The rendition widths, ascending. */
  widths: number[];
  fetchAllowPrivateUrls: boolean;
  /** How long fetching a remote image may take. Not an environment setting; tests shorten it. */
  fetchTimeoutMs: number;
  s3: {
    endpoint?: string;
    bucket?: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    forcePathStyle: boolean;
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A setting that cannot be used; its message is one line naming the setting. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.MEDIA_STORAGE === 's3' && !e.S3_BUCKET)
    throw new ConfigError('Invalid setting S3_BUCKET: must be set when MEDIA_STORAGE=s3');
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    replicaUrls: e.DATABASE_REPLICA_URLS,
    dbPoolSize: e.DB_POOL_SIZE,
    dbAcquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    adminApiKey: e.ADMIN_API_KEY,
    reactionTypes: e.REACTION_TYPES,
    rateLimitReactionsPerMinute: e.RATE_LIMIT_REACTIONS_PER_MINUTE,
    rateLimitAuthFailuresPerMinute: e.RATE_LIMIT_AUTH_FAILURES_PER_MINUTE,
    rateLimitSearchesPerMinute: e.RATE_LIMIT_SEARCHES_PER_MINUTE,
    rateLimitGraphqlCostPerMinute: e.RATE_LIMIT_GRAPHQL_COST_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    rankingWeightView: e.RANKING_WEIGHT_VIEW,
    rankingWeightReaction: e.RANKING_WEIGHT_REACTION,
    importMaxBytes: e.IMPORT_MAX_BYTES,
    webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    webhookAllowPrivateUrls: e.WEBHOOK_ALLOW_PRIVATE_URLS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    webhookRetryBaseMs: 5_000,
    webhookRetryMaxMs: 3_600_000,
    webhookTimeoutMs: 5_000,
    webhookPollIntervalMs: 300,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    media: {
      storage: e.MEDIA_STORAGE,
      dir: e.MEDIA_DIR ?? join(e.DATA_DIR, 'media'),
      maxBytes: e.MEDIA_MAX_BYTES,
      maxPixels: e.MEDIA_MAX_PIXELS,
      widths: e.MEDIA_WIDTHS,
      fetchAllowPrivateUrls: e.MEDIA_FETCH_ALLOW_PRIVATE_URLS,
      fetchTimeoutMs: 15_000,
      s3: {
        endpoint: e.S3_ENDPOINT,
        bucket: e.S3_BUCKET,
        region: e.S3_REGION,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
      },
    },
    site: {
      url: (e.PUBLIC_SITE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      articleUrlTemplate: e.ARTICLE_URL_TEMPLATE,
      name: e.SITE_NAME,
      defaultLocale: 'en',
      sitemapMaxUrls: 50_000,
    },
  };
}
