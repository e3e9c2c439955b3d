import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import * as path from 'node:path';
import { Access } from '../auth/access.decorator';
import { DomainError } from '../common/domain-error';
import { compactCode } from '../common/form-transforms';
import { PROJECT_ROOT } from '../common/paths';
import { layoutLocals } from '../web/layout-locals';
import { TianpingRequest } from '../web/request';
import { normalizeVerificationCode } from '../documents/domain/official-document';
import { DrawsService } from './draws.service';

/**
 * Public verification (no log-in): the petitioner, the department or anyone holding the
 * draw's code can recompute it. Evaluators appear by number only.
 */
@ApiTags('verify')
@Controller()
export class VerifyController {
  constructor(private readonly draws: DrawsService) {}

  @Get('verify')
  @Access('public')
  async form(@Req() req: TianpingRequest, @Res() res: Response, @Query('code') code?: string) {
    // Documents carry 16-digit codes, typed here from the paper: they are checked on their own page.
    const documentCode = code ? normalizeVerificationCode(code) : null;
    if (documentCode) return res.redirect(303, `/verify/documents?code=${documentCode}`);
    if (!code) return res.render('draws/verify-public.hbs', { ...layoutLocals(req), title: '验证抽选结果' });
    // As typed from the paper: groups split by spaces or dashes, full-width characters.
    const normalized = compactCode(code).toUpperCase().replace(/[Ａ-Ｆ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    let draw;
    try {
      draw = await this.draws.byCode(normalized);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'not_found') throw error;
      const message = '找不到这个验证码。抽选记录上的验证码是12位数字和字母（0–9、A–F），文书上的验证码是16位数字，请核对后重新输入。';
      return res.status(404).render('draws/verify-public.hbs', { ...layoutLocals(req), title: '验证抽选结果', code, formError: message, errors: { code: message } });
    }
    const view = await this.draws.view(draw, false);
    res.render('draws/verify-public.hbs', { ...layoutLocals(req), title: '验证抽选结果', code: normalized, view, result: draw.status === 'drawn' ? await this.draws.verify(draw) : null });
  }

  /** The normative description a re-implementation follows (Markdown, in English), as the pages promise. */
  @Get('verify/algorithm.md')
  @Access('public')
  @ApiOperation({ summary: '抽选算法的规范说明（Markdown，英文），复算所依据的公开算法' })
  algorithm(@Res() res: Response) {
    res.type('text/markdown; charset=utf-8').sendFile(path.join(PROJECT_ROOT, 'docs', 'draw-algorithm.md'));
  }

  @Get('verify/:code/evidence.json')
  @Access('public')
  @ApiOperation({ summary: '下载抽选证据（规则、候选名单、承诺值、密钥、见证输入、结果），可用任何语言按 docs/draw-algorithm.md 复算' })
  async evidence(@Param('code') code: string, @Res() res: Response) {
    const draw = await this.draws.byCode(code.toUpperCase());
    res.setHeader('Content-Disposition', `attachment; filename="draw-${draw.publicCode}.json"`);
    res.json(await this.draws.evidenceDocument(draw));
  }

  @Get('api/verify/:code')
  @Access('public')
  @ApiOperation({ summary: '公开验证：按验证码复算抽选，返回 matches 与差异说明' })
  async api(@Param('code') code: string) {
    const draw = await this.draws.byCode(code.toUpperCase());
    const result = await this.draws.verify(draw);
    return { code: draw.publicCode, commitment: draw.commitment, seed: draw.seed, witnessInput: draw.witnessInput, ...result };
  }
}
