/**
 * Every limit the GraphQL endpoint (and list pagination) enforces, in one place, each with the
 * reason for its number. A request over a limit is refused before any resolver runs.
 */

/**
 * Deepest selection allowed. The deepest legitimate query of the schema (article → section →
 * breadcrumb → … or related → article → tags) is about 6 levels; 10 leaves room for fragments
 * while stopping recursive `related { article { related { … } } }` bombs.
 */
export const MAX_DEPTH = 10;

/**
 * Most aliases in one operation. A front page asks for a handful of lists under aliases
 * (top stories, each section's latest); 15 covers that, while 100 aliases of one expensive field
 * (the classic alias-amplification and brute-force-in-one-request attack) is refused.
 */
export const MAX_ALIASES = 15;

/**
 * Cost budget of one operation: every field costs 1, and the fields under a list are multiplied
 * by the list's `first`/`limit` argument (or LIST_DEFAULT_SIZE without one). A home page of
 * 20 articles with their sections, tags and reactions costs a few hundred; 5000 still allows a
 * full page of 100 articles with their nested fields, and refuses nested lists of lists.
 */
export const MAX_COST = 5000;

/**
 * How many items a list without a `first`/`limit` argument is assumed to return, for the cost.
 * Such lists are short in this schema (a breadcrumb, an article's tags, its reaction types).
 * A Relay connection's `edges`/`nodes` count once: the connection's `first` already multiplied them.
 */
export const LIST_DEFAULT_SIZE = 5;
export const CONNECTION_LIST_FIELDS = ['edges', 'nodes'] as const;

/**
 * Largest `first` or `limit` a client may ask for, in REST and in GraphQL (the contract's
 * `limit (1–100)`). A bigger page is a cursor away; an unbounded one is a denial of service.
 */
export const MAX_PAGE_SIZE = 100;

/**
 * Page size of a list when the client names none: REST `limit` and a Relay connection's `first`
 * when neither `first` nor `last` is given (the contract's default of 20).
 */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Names of the page-size arguments the cap and the cost apply to: `last` pages a Relay connection
 * backward and fetches as many items as `first` would.
 */
export const PAGE_SIZE_ARGUMENTS = ['first', 'last', 'limit'] as const;

/**
 * Longest GraphQL document (the `query` text), in bytes, by POST or GET. Hand-written queries
 * are a few KiB; 100 KiB is generous and keeps parsing cheap. Longer documents are 413 (clients
 * with very large documents should use persisted queries). POST bodies are also bounded by the
 * 1 MiB body limit of every route; GET URLs by Node's 16 KiB header limit.
 */
export const MAX_DOCUMENT_BYTES = 100 * 1024;

/**
 * Root query fields that run a full-text search, each with where its search text is: every one
 * whose text is not blank spends one from RATE_LIMIT_SEARCHES_PER_MINUTE, as `GET
 * /articles?q=` does in REST (operation-budget.ts).
 */
export const SEARCH_FIELDS: Readonly<Record<string, (args: Record<string, unknown>) => unknown>> = {
  articles: (args) => (args.filter as { q?: unknown } | null | undefined)?.q,
};

/**
 * Largest count (reactions, views) the API shows: GraphQL's Int is a signed 32-bit integer, and
 * REST shows the same numbers. The counter columns are bigint, so imports refuse a count above
 * this, and reads show a larger stored value as this instead of failing the whole list.
 */
export const MAX_COUNT = 2_147_483_647;

/**
 * Largest WebSocket message (graphql-ws `maxPayload`); a bigger one closes the connection (1009)
 * before it is parsed. A subscribe message is a document (at most MAX_DOCUMENT_BYTES) and its
 * variables: the 1 MiB every HTTP body but an import gets is ample. The `ws` default, 100 MiB,
 * would let any client make the server buffer and parse that much per message.
 */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;

/**
 * Most subscriptions open at once on one connection; one more is refused (RATE_LIMITED). An
 * article page follows one article's counts; a section front showing live counts for each of
 * its stories follows a few dozen. Each subscription holds a listener and a queue in memory.
 */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 50;

/**
 * Most graphql-ws connections open at once from one client address (TRUST_PROXY decides the
 * address, as for HTTP); one more is closed at once (4429). A reader needs one per open tab,
 * but an office or a mobile carrier's NAT puts many readers behind one address, so the number
 * is generous; it stops one client from holding thousands of sockets and their subscriptions.
 */
export const MAX_WS_CONNECTIONS_PER_IP = 100;
