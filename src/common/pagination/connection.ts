import { DomainError } from '../errors/domain-error';
import { DEFAULT_PAGE_SIZE } from '../graphql/limits';

/** The Relay connection arguments as a client sends them (GraphQL sends null for an omitted one). */
export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/**
 * One page to read from a keyset-ordered list: `size` rows from the start of the range between
 * the cursors, or, `backward`, from its end. The cursors are still opaque here.
 */
export interface PageWindow {
  size: number;
  backward: boolean;
  after?: string;
  before?: string;
}

/**
 * The page a Relay client asks for (Relay Cursor Connections specification): `first` counts from
 * `after` (or the start), `last` back from `before` (or the end); `first` is DEFAULT_PAGE_SIZE
 * when neither is given. Both at once is refused: the specification discourages it and no
 * client needs it. Sizes are checked against 1..MAX_PAGE_SIZE by the args class (IsPageSize).
 */
export function pageWindow(args: ConnectionArgs): PageWindow {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first !== undefined && last !== undefined)
    throw DomainError.validation([{ path: 'last', message: 'give first or last, not both' }]);
  return {
    size: last ?? first ?? DEFAULT_PAGE_SIZE,
    backward: last !== undefined,
    // An empty cursor is no cursor, as REST's `cursor=` has always been.
    after: args.after || undefined,
    before: args.before || undefined,
  };
}
