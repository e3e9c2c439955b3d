import { Permission, Role, roleMay } from '../auth/domain/roles';

/** Who is acting, as recorded in the audit log: a signed-in user or the public. */
export interface Actor {
  userId: number | null;
  username: string;
  displayName: string;
  role: Role | 'public' | 'system';
  departmentId: number | null;
  evaluatorId: number | null;
  ip: string;
  requestId: string;
}

/** The CLI and demo loader act as the system. */
export function systemActor(what: string): Actor {
  return { userId: null, username: 'system', displayName: what, role: 'system', departmentId: null, evaluatorId: null, ip: 'local', requestId: what };
}

/** Whether an actor holds a permission: the public and the system hold none by role. */
export function actorMay(actor: Actor, permission: Permission): boolean {
  return actor.role !== 'public' && actor.role !== 'system' && roleMay(actor.role, permission);
}
