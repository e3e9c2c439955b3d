import { idCheckChar } from '../../src/pool/domain/id-number';

let counter = 0;

/** A valid ID number, unique within the test run, for a person born in `year`. */
export function validIdNumber(year = 1970, gender: 'male' | 'female' = 'male'): string {
  counter += 1;
  const seq = (counter % 450) * 2 + (gender === 'male' ? 1 : 0);
  const month = String((Math.floor(counter / 450) % 12) + 1).padStart(2, '0');
  const first17 = `411402${year}${month}15${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A complete, valid application body. */
export function applicationBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '测试申请人',
    gender: 'male',
    birthYear: 1970,
    phone: '13937012345',
    idNumber: validIdNumber(1970, 'male'),
    employer: '河南测试律师事务所',
    title: '律师',
    category: 'lawyer',
    expertise: ['征地拆迁', '涉法涉诉'],
    district: '梁园区',
    township: '平原街道',
    bio: '执业十五年',
    consent: true,
    ...overrides,
  };
}
