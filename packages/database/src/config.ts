import path from 'node:path';

/** Where local state lives when nothing is configured: embedded PostgreSQL data, signing keys. */
export function dataDirectory(): string {
  return path.resolve(process.env.DATA_DIR ?? '.data');
}

/** The role the services log in as: not superuser, no BYPASSRLS, owns nothing (created by the migrations). */
export const APP_ROLE = 'commerce_app';

/** The app role's password; set by the migration runner, used to derive APP_DATABASE_URL. */
export function appRolePassword(): string {
  return process.env.APP_DATABASE_PASSWORD ?? 'commerce_app';
}

/**
 * The URL the services use: APP_DATABASE_URL, else DATABASE_URL with the app role's credentials,
 * so row-level security always applies to them.
 */
export function appDatabaseUrl(ownerUrl: string): string {
  if (process.env.APP_DATABASE_URL) return process.env.APP_DATABASE_URL;
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = appRolePassword();
  return url.toString();
}
