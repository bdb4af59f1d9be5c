/** The windows of `GET /rankings`, in hours. */
export const RANKING_WINDOWS = { '1h': 1, '24h': 24, '7d': 168, '30d': 720 } as const;
export type RankingWindow = keyof typeof RANKING_WINDOWS;
export const RANKING_WINDOW_NAMES = Object.keys(RANKING_WINDOWS) as RankingWindow[];

export const RANKING_SORTS = ['popular', 'trending'] as const;
export type RankingSort = (typeof RANKING_SORTS)[number];

/**
 * Trending halves the weight of an hour bucket every TRENDING_HALF_LIFE_HOURS hours of age: a
 * bucket `k` whole hours before the current one weighs 0.5^(k / 4).
 */
export const TRENDING_HALF_LIFE_HOURS = 4;

/** How long one instance reuses a computed ranking: answers are at most this old. */
export const RANKING_CACHE_MS = 30_000;

export const RANKING_DOCS =
  `Score = RANKING_WEIGHT_VIEW × views + RANKING_WEIGHT_REACTION × reactions (defaults 1 and 5), ` +
  `counted in hour buckets: a window of N hours counts the current hour bucket and the N whole ` +
  `hours before it (bucket start >= the start of the current hour minus N hours). ` +
  `sort=trending weighs each bucket by 0.5^(k / ${TRENDING_HALF_LIFE_HOURS}), k = whole hours ` +
  `between the bucket and the current hour. Public articles only; section includes its ` +
  `descendants; ties go to the more recently published, then by id. Answers may be up to 30 s ` +
  `old (each instance recomputes them from the database at most every 30 s).`;
