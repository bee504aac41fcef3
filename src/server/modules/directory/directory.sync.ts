import type { Db } from '../../db/database';

/**
 * The contract between business profiles and the public directory (skeleton: the directory
 * work fills it in). Called inside the transaction of every profile change:
 * - a published profile is (re)written into the directory's search table, so a change is
 *   searchable as soon as the transaction commits;
 * - a draft, unpublished or deleted profile is removed from it.
 */
export async function syncDirectoryEntry(_db: Db, _profileId: string): Promise<void> {}
