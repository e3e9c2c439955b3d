import { Foundation1763700000000 } from './migrations/1763700000000-foundation';

/** Every migration, in order. New ones are appended; applied ones are never edited. */
export const MIGRATIONS = [Foundation1763700000000];
