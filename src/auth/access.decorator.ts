import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor } from '../common/actor';
import type { TianpingRequest } from '../web/request';
import type { Permission } from './domain/roles';

export const ACCESS_KEY = 'tianping:access';
export const ALLOW_DURING_PASSWORD_CHANGE = 'tianping:allowDuringPasswordChange';

/** Who may call a route: 'public' or a permission. A route without it is refused (deny by default). */
export const Access = (access: Permission | 'public') => SetMetadata(ACCESS_KEY, access);

/** Routes usable while the user still has to replace an initial password. */
export const AllowDuringPasswordChange = () => SetMetadata(ALLOW_DURING_PASSWORD_CHANGE, true);

export function actorOf(req: TianpingRequest): Actor {
  const user = req.auth?.user;
  const ip = req.ip ?? 'unknown';
  if (!user) {
    return { userId: null, username: 'anonymous', displayName: '公众', role: 'public', departmentId: null, evaluatorId: null, ip, requestId: req.requestId };
  }
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    departmentId: user.departmentId,
    evaluatorId: user.evaluatorId,
    ip,
    requestId: req.requestId,
  };
}

/** The acting user (or the public) for the audit log and ownership checks. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext) => actorOf(ctx.switchToHttp().getRequest()));
