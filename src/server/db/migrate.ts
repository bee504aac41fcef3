import { Migrator, sql, type Migration, type MigrationProvider, type Kysely } from 'kysely';
import * as m0001 from './migrations/0001_foundation';
import * as m0002 from './migrations/0002_user_management';
import * as m0003 from './migrations/0003_lockout';
import * as m0004 from './migrations/0004_audit_chain';
import * as m0005 from './migrations/0005_password_resets';
import * as m0006 from './migrations/0006_mfa';
import * as m0007 from './migrations/0007_api_apps';
import * as m0008 from './migrations/0008_custom_roles_and_sessions';
import * as m0009 from './migrations/0009_invitations';
import * as m0010 from './migrations/0010_user_counts';
import * as m0011 from './migrations/0011_documents_notifications';
import * as m0012 from './migrations/0012_profiles';
import * as m0013 from './migrations/0013_tax_banking';
import * as m0014 from './migrations/0014_locations_reviews';
import * as m0015 from './migrations/0015_signin_throttle';
import * as m0016 from './migrations/0016_review_counts';
import * as m0017 from './migrations/0017_business_profiles';
import * as m0018 from './migrations/0018_directory';
import * as m0019 from './migrations/0019_leads';
import * as m0020 from './migrations/0020_catalog_pricelists';
import * as m0021 from './migrations/0021_business_profile_products';
import * as m0024 from './migrations/0024_catalog_imports';
import * as m0025 from './migrations/0025_pricelist_search';
import * as m0026 from './migrations/0026_catalog_search';

/** Migrations are listed here explicitly, in order: one set for PGlite and PostgreSQL. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_user_management': m0002,
  '0003_lockout': m0003,
  '0004_audit_chain': m0004,
  '0005_password_resets': m0005,
  '0006_mfa': m0006,
  '0007_api_apps': m0007,
  '0008_custom_roles_and_sessions': m0008,
  '0009_invitations': m0009,
  '0010_user_counts': m0010,
  '0011_documents_notifications': m0011,
  '0012_profiles': m0012,
  '0013_tax_banking': m0013,
  '0014_locations_reviews': m0014,
  '0015_signin_throttle': m0015,
  '0016_review_counts': m0016,
  '0017_business_profiles': m0017,
  '0018_directory': m0018,
  '0019_leads': m0019,
  '0020_catalog_pricelists': m0020,
  '0021_business_profile_products': m0021,
  '0024_catalog_imports': m0024,
  '0025_pricelist_search': m0025,
  '0026_catalog_search': m0026,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Apply pending migrations; with none pending (every start but the first) this is one query. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const latest = Object.keys(MIGRATIONS).sort().at(-1)!;
  const applied = await sql<{ name: string | null }>`select (select max(name) from schema_migrations) as name where to_regclass('schema_migrations') is not null`
    .execute(db)
    .catch(() => ({ rows: [] as { name: string | null }[] }));
  if (applied.rows[0]?.name === latest) return [];
  const migrator = new Migrator({ db, provider, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
