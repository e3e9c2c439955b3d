import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawRows } from '../database/raw-rows';
import { CATEGORIES, Category, CATEGORY_LABELS } from '../pool/domain/categories';

/**
 * How often each evaluator has served, against the share they would have with equal
 * chances, per category: makes "the same people every time" (陪审专业户) visible.
 */
@Injectable()
export class FairnessService {
  constructor(private readonly dataSource: DataSource) {}

  async report() {
    const rows = await rawRows<[number, string, Category, string, number]>(
      this.dataSource,
      `SELECT e.id, e.name, e.category, e.status, COUNT(pm.id) FROM evaluator e
       LEFT JOIN panel_member pm ON pm.evaluatorId = e.id AND pm.state = 'accepted'
       GROUP BY e.id ORDER BY e.category, COUNT(pm.id) DESC, e.id`,
    );
    return CATEGORIES.map((category) => {
      const members = rows.filter((r) => r[2] === category && r[3] === 'active');
      const seats = members.reduce((sum, r) => sum + r[4], 0);
      const expected = members.length ? seats / members.length : 0;
      const top = members.slice(0, 5).map(([id, name, , , served]) => ({ id, name, served, ratio: expected ? Math.round((served / expected) * 10) / 10 : 0, flagged: expected > 0 && served >= 2 * expected && served >= 3 }));
      const neverServed = members.filter((r) => r[4] === 0).length;
      return { category, label: CATEGORY_LABELS[category], members: members.length, seats, expected: Math.round(expected * 100) / 100, neverServed, top };
    });
  }
}
