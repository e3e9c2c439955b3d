import { Foundation1763700000000 } from './migrations/1763700000000-foundation';
import { CasesAndDraws1763800000000 } from './migrations/1763800000000-cases-and-draws';
import { PoolGeneration1763900000000 } from './migrations/1763900000000-pool-generation';
import { Evaluation1764000000000 } from './migrations/1764000000000-evaluation';
import { SessionGeneration1764100000000 } from './migrations/1764100000000-session-generation';
import { Documents1764200000000 } from './migrations/1764200000000-documents';
import { FollowUp1764300000000 } from './migrations/1764300000000-follow-up';
import { AuditChain1764400000000 } from './migrations/1764400000000-audit-chain';
import { PasswordHistory1764500000000 } from './migrations/1764500000000-password-history';
import { AuditArchive1764600000000 } from './migrations/1764600000000-audit-archive';
import { SecondFactor1764700000000 } from './migrations/1764700000000-second-factor';
import { AuditArchiveDelete1764800000000 } from './migrations/1764800000000-audit-archive-delete';
import { SessionGenerationColumns1764900000000 } from './migrations/1764900000000-session-generation-columns';
import { DocumentBatches1765000000000 } from './migrations/1765000000000-document-batches';
import { RateWindows1765100000000 } from './migrations/1765100000000-rate-windows';

/** Every migration, in order. New ones are appended; applied ones are never edited. */
export const MIGRATIONS = [Foundation1763700000000, CasesAndDraws1763800000000, PoolGeneration1763900000000, Evaluation1764000000000, SessionGeneration1764100000000, Documents1764200000000, FollowUp1764300000000, AuditChain1764400000000, PasswordHistory1764500000000, AuditArchive1764600000000, SecondFactor1764700000000, AuditArchiveDelete1764800000000, SessionGenerationColumns1764900000000, DocumentBatches1765000000000, RateWindows1765100000000];
