import DataLoader from 'dataloader';
import type { EditLeases } from './edit-leases.service';
import type { ArticleLock } from './editing.model';

export const EDITING_LOADERS = 'editing';

export interface EditingLoaders {
  /** Live leases by article id; the resolver checks the caller is staff before it loads. */
  locks: DataLoader<string, ArticleLock | null>;
}

export function createEditingLoaders(leases: EditLeases): EditingLoaders {
  return {
    locks: new DataLoader(async (ids) => {
      const locks = await leases.locks([...ids]);
      return ids.map((id) => locks.get(id) ?? null);
    }),
  };
}
