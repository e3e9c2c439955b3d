import { Body, Controller, Get, HttpCode, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { Actor } from '../common/actor';
import { NotificationsService } from '../notifications/notifications.service';
import { CATEGORY_LABELS, Category } from '../pool/domain/categories';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { TianpingRequest } from '../web/request';
import { RespondDto } from './dto/draw.dto';
import { DECLARATION_TEXT, PanelService, RESPONSE_HOURS, STATE_LABELS } from './panel.service';

const NOTICES: Record<string, string> = { accepted: '已确认参加，感谢您！会议安排将另行通知。', declined: '已收到您的答复，席位将由候补递补。', conflict: '已记录您的回避申报，席位将由候补递补。' };

/** An evaluator's messages and invitations, answered in a large-type form that works on a phone. */
@ApiTags('me')
@Controller()
export class InboxController {
  constructor(
    private readonly panels: PanelService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get('inbox')
  @Access('inbox.own')
  @Render('draws/inbox.hbs')
  async page(@Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.inboxModel(req)), notice: noticeFrom(NOTICES, notice) };
  }

  async inboxModel(req: TianpingRequest) {
    const evaluatorId = req.auth!.user.evaluatorId!;
    const invitations = (await this.panels.invitationsOf(evaluatorId)).map((i) => ({
      ...i, categoryLabel: CATEGORY_LABELS[i.category as Category] ?? i.category, stateLabel: STATE_LABELS[i.state as keyof typeof STATE_LABELS], open: i.state === 'invited',
      // When the form comes back with an error, it belongs to the invitation that was answered.
      submitted: req.params.id !== undefined && Number(req.params.id) === i.id,
    }));
    return { ...layoutLocals(req), title: '消息与邀请', invitations, messages: await this.notifications.inbox(evaluatorId), declarationText: DECLARATION_TEXT, hours: RESPONSE_HOURS, values: {} };
  }

  @Post('inbox/invitations/:id')
  @Access('inbox.own')
  @FormView('draws/inbox.hbs', { title: '消息与邀请', model: 'inboxModel' })
  async respond(@Param('id', IdPipe) id: number, @Body() dto: RespondDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.panels.respond(id, actor.evaluatorId!, dto, actor);
    res.redirect(303, `/inbox?notice=${dto.answer === 'accept' ? 'accepted' : dto.answer === 'conflict' ? 'conflict' : 'declined'}`);
  }

  @Get('api/inbox')
  @Access('inbox.own')
  @ApiOperation({ summary: '评价员的邀请与消息' })
  async api(@CurrentActor() actor: Actor) {
    return { invitations: await this.panels.invitationsOf(actor.evaluatorId!), messages: await this.notifications.inbox(actor.evaluatorId!) };
  }

  @Post('api/inbox/invitations/:id')
  @HttpCode(200)
  @Access('inbox.own')
  @ApiOperation({ summary: '答复邀请：accept（须 declaration=true 签署回避声明）、decline 或 conflict' })
  respondApi(@Param('id', IdPipe) id: number, @Body() dto: RespondDto, @CurrentActor() actor: Actor) {
    return this.panels.respond(id, actor.evaluatorId!, dto, actor);
  }
}
