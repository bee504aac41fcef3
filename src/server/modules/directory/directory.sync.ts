import type { Db } from '../../db/database';
import { syncEntry } from './directory.repo';

/**
 * The contract between business profiles and the public directory. Called inside the
 * transaction of every profile change:
 * - a published profile is (re)written into the directory's search table, so a change is
 *   searchable as soon as the transaction commits;
 * - a draft, unpublished or deleted profile is removed from it.
 * Changes of the legal name and of the support profile reach the entries by triggers
 * (migration 0018), in the transaction that makes them.
 */
export async function syncDirectoryEntry(db: Db, profileId: string): Promise<void> {
  await syncEntry(db, profileId);
}
