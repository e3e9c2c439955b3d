import { Controller, Get, Query, Render, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { ROLE_LABELS } from '../auth/domain/roles';
import { zhCN } from '../common/i18n/zh-CN';
import { displayInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { layoutLocals } from '../web/layout-locals';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { AuditEntry } from './audit-entry.entity';
import { AuditQueryDto } from './audit-query.dto';
import { AuditChainService } from './audit-chain.service';
import { AuditService } from './audit.service';

/**
 * A before/after object as the auditor reads it: a line per key, named in Chinese where the
 * catalogue knows it, times as office time, yes/no in words. The exact JSON stays beside it.
 */
function changeLines(json: string | null, timeZone: string): { label: string; value: string }[] {
  if (!json) return [];
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return [{ label: '内容', value: json }];
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [{ label: '内容', value: JSON.stringify(data) }];
  const shown = (value: unknown): string => {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'boolean') return value ? '是' : '否';
    // Epoch milliseconds (2001–2286): a time.
    if (typeof value === 'number' && value > 1e12 && value < 1e13) return displayInZone(new Date(value), timeZone);
    if (Array.isArray(value)) return value.map(shown).join('、') || '（无）';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  return Object.entries(data as Record<string, unknown>).map(([key, value]) => ({ label: zhCN.audit.keys[key] ?? zhCN.fields[key] ?? key, value: shown(value) }));
}

function entryView(e: AuditEntry) {
  return {
    ...e,
    actionLabel: zhCN.audit.actions[e.action] ?? e.action,
    entityTypeLabel: e.entityType ? (zhCN.audit.entityTypes[e.entityType] ?? e.entityType) : '',
    roleLabel: ROLE_LABELS[e.actorRole as keyof typeof ROLE_LABELS] ?? (e.actorRole === 'public' ? '公众' : '系统'),
    before: e.before ? JSON.parse(e.before) : null,
    after: e.after ? JSON.parse(e.after) : null,
  };
}

/** The audit log, for the auditor: browse and filter; there is no way to edit or delete. */
@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly chain: AuditChainService,
    private readonly config: AppConfig,
  ) {}

  @Get('audit/chain')
  @Access('audit.read')
  @Render('audit/chain.hbs')
  async chainPage(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '审计链校验', verdict: await this.chain.verify(), head: await this.chain.head() };
  }

  @Get('api/audit/chain')
  @Access('audit.read')
  @ApiOperation({ summary: '校验审计哈希链：逐条复算，指出第一条不符的条目，并与每日公布的链头比对' })
  async chainApi() {
    return { ...(await this.chain.verify()), head: await this.chain.head() };
  }

  @Get('audit')
  @Access('audit.read')
  @Render('audit/list.hbs')
  async page(@Query() query: AuditQueryDto, @Req() req: TianpingRequest) {
    const { entries, total } = await this.audit.search(query);
    return {
      ...layoutLocals(req),
      title: '审计日志',
      filters: query,
      actions: Object.entries(zhCN.audit.actions).map(([value, label]) => ({ value, label })),
      entityTypes: Object.entries(zhCN.audit.entityTypes).map(([value, label]) => ({ value, label })),
      entries: entries.map((e) => ({ ...entryView(e), beforeText: e.before, afterText: e.after, beforeLines: changeLines(e.before, this.config.APP_TIMEZONE), afterLines: changeLines(e.after, this.config.APP_TIMEZONE) })),
      pagination: pagination(total, query.page, query.pageSize, { ...query }),
    };
  }

  @Get('api/audit')
  @Access('audit.read')
  @ApiTags('audit')
  @ApiOperation({ summary: '审计日志（按操作、操作人、对象、日期筛选，分页）' })
  async api(@Query() query: AuditQueryDto) {
    const { entries, total } = await this.audit.search(query);
    return { total, page: query.page, pageSize: query.pageSize, entries: entries.map(entryView) };
  }
}
