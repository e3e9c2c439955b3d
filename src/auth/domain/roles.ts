/**
 * Roles (三员分立): the security administrator manages accounts but sees no cases or pool;
 * the auditor reads everything and the audit log but changes nothing; the office works the
 * pool and cases.
 */
export const ROLES = ['admin', 'staff', 'evaluator', 'liaison', 'auditor', 'security'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: '联席办管理员',
  staff: '联席办工作人员',
  evaluator: '评价员',
  liaison: '责任单位联络员',
  auditor: '审计员',
  security: '安全管理员',
};

/** What each role may do; routes name a permission, never a role. */
export const PERMISSIONS = {
  'pool.read': ['admin', 'staff', 'auditor'],
  'pool.write': ['admin', 'staff'],
  'pool.reveal': ['admin'],
  'applications.review': ['admin', 'staff'],
  'audit.read': ['auditor'],
  'cases.read': ['admin', 'staff', 'auditor'],
  'cases.write': ['admin', 'staff'],
  'draws.run': ['admin', 'staff'],
  'inbox.own': ['evaluator'],
  'meetings.read': ['admin', 'staff', 'auditor', 'evaluator'],
  'meetings.take': ['evaluator'],
  'meetings.run': ['admin', 'staff'],
  'documents.read': ['admin', 'staff', 'auditor'],
  'documents.issue': ['admin', 'staff'],
  'documents.own': ['liaison'],
  /** Downloads: the service narrows a liaison to their own department's assignment letters. */
  'documents.download': ['admin', 'staff', 'auditor', 'liaison'],
  'followup.read': ['admin', 'staff', 'auditor'],
  'followup.manage': ['admin', 'staff'],
  'followup.own': ['liaison'],
  /** Report files: the service narrows a liaison to their own department's tasks. */
  'followup.attachments': ['admin', 'staff', 'auditor', 'liaison'],
  'accounts.manage': ['security'],
  'profile.own': ['evaluator'],
  'session.any': ['admin', 'staff', 'evaluator', 'liaison', 'auditor', 'security'],
  /** The optional second factor, for the accounts that can see or change the most. */
  'mfa.own': ['admin', 'auditor', 'security'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function roleMay(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** Where each role lands after log-in. */
export const HOME_OF: Record<Role, string> = {
  admin: '/pool',
  staff: '/pool',
  evaluator: '/me',
  liaison: '/department',
  auditor: '/audit',
  security: '/accounts',
};
