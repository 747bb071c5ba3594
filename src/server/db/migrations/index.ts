// The ordered list of migrations; a new file is added here with the next number.
import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';

export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
};
