import { HOME_OF, Permission, roleMay, ROLE_LABELS } from '../auth/domain/roles';
import { zhCN } from '../common/i18n/zh-CN';
import { TianpingRequest } from './request';

interface NavItem {
  href: string;
  label: string;
  permission: Permission;
}

const NAV: NavItem[] = [
  { href: '/cases', label: '案件', permission: 'cases.read' },
  { href: '/pool', label: '人才库', permission: 'pool.read' },
  { href: '/pool/applications', label: '入库申请', permission: 'pool.read' },
  { href: '/pool/import', label: '批量导入', permission: 'pool.write' },
  { href: '/follow-up', label: '跟踪督办', permission: 'followup.read' },
  { href: '/dashboard', label: '统计分析', permission: 'followup.read' },
  { href: '/documents', label: '公文', permission: 'documents.read' },
  { href: '/department', label: '本单位任务', permission: 'followup.own' },
  { href: '/department/documents', label: '交办函', permission: 'documents.own' },
  { href: '/inbox', label: '消息与邀请', permission: 'inbox.own' },
  { href: '/meetings', label: '评价会议', permission: 'meetings.take' },
  { href: '/me', label: '我的信息', permission: 'profile.own' },
  { href: '/accounts', label: '账户管理', permission: 'accounts.manage' },
  { href: '/account/two-factor', label: '双重验证', permission: 'mfa.own' },
  { href: '/audit', label: '审计日志', permission: 'audit.read' },
];

/** What every page's layout needs: who is signed in, their menu, and the CSRF token for forms. */
export function layoutLocals(req: TianpingRequest): Record<string, unknown> {
  const user = req.auth?.user;
  const path = req.path;
  return {
    appName: zhCN.app.fullName,
    csrfToken: req.csrfToken,
    currentUser: user
      ? { displayName: user.displayName, username: user.username, roleLabel: ROLE_LABELS[user.role], home: HOME_OF[user.role] }
      : null,
    nav: user
      ? NAV.filter((item) => roleMay(user.role, item.permission)).map((item) => ({
          ...item,
          current: path === item.href || (item.href !== '/pool' && path.startsWith(item.href + '/')) || (item.href === '/pool' && path.startsWith('/pool/evaluators')),
        }))
      : [],
  };
}
