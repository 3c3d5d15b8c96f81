import { CreateAuditLog1795464000000 } from './1795464000000-create-audit-log';

// Listed, not globbed: ts-node runs through swc, and a glob would miss or double-load files in dist/.
// Append new migrations in timestamp order; never edit one that has shipped.
export const MIGRATIONS = [CreateAuditLog1795464000000];
