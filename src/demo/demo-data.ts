import { Category } from '../pool/domain/categories';
import { idCheckChar } from '../pool/domain/id-number';

/** A small seeded PRNG (mulberry32) so the demo data is the same on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEPARTMENTS: { name: string; kind: 'municipal' | 'county' }[] = [
  ...['市民政局', '市人力资源和社会保障局', '市住房和城乡建设局', '市自然资源和规划局', '市城市管理局', '市公安局', '市卫生健康委员会', '市教育局',
    '市市场监督管理局', '市生态环境局', '市农业农村局', '市退役军人事务局', '市司法局', '市医疗保障局', '市交通运输局', '市信访局'].map((name) => ({ name, kind: 'municipal' as const })),
  ...['梁园区人民政府', '睢阳区人民政府', '永城市人民政府', '夏邑县人民政府', '虞城县人民政府', '柘城县人民政府', '宁陵县人民政府', '睢县人民政府',
    '民权县人民政府', '示范区管委会'].map((name) => ({ name, kind: 'county' as const })),
];

/** Districts of the city with their resident-ID region codes and some of their streets and townships. */
export const REGIONS: { district: string; code: string; townships: string[] }[] = [
  { district: '梁园区', code: '411402', townships: ['平原街道', '白云街道', '八八街道', '中州街道', '长征街道', '东风街道', '刘口乡'] },
  { district: '睢阳区', code: '411403', townships: ['文化街道', '东方街道', '新城街道', '古宋街道', '宋集镇', '郭村镇'] },
  { district: '永城市', code: '411481', townships: ['东城街道', '演集街道', '芒山镇', '城厢乡'] },
  { district: '夏邑县', code: '411426', townships: ['城关镇', '会亭镇', '济阳镇', '马头镇'] },
  { district: '虞城县', code: '411425', townships: ['城关镇', '利民镇', '张集镇', '谷熟镇'] },
  { district: '柘城县', code: '411424', townships: ['城关镇', '远襄镇', '胡襄镇'] },
  { district: '宁陵县', code: '411423', townships: ['城关回族镇', '张弓镇', '柳河镇'] },
  { district: '睢县', code: '411422', townships: ['城关镇', '白庙乡', '潮庄镇'] },
  { district: '民权县', code: '411421', townships: ['城关镇', '人和镇', '北关镇'] },
  { district: '示范区', code: '411471', townships: ['平台街道', '新城街道', '王楼乡'] },
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN_MALE = ['建国', '国强', '志刚', '永胜', '海涛', '卫东', '红军', '振华', '文杰', '光明', '德胜', '保国', '学军', '立新', '俊峰', '明远', '子豪', '宏伟', '庆丰', '长松', '守义', '书林', '广平', '树人', '新民'];
const GIVEN_FEMALE = ['秀英', '桂兰', '玉梅', '淑珍', '丽娟', '海燕', '春梅', '晓红', '文静', '雅琴', '慧敏', '俊英', '秋菊', '凤霞', '艳玲', '红梅', '亚楠', '思雨', '雪梅', '美华'];

const EMPLOYERS: Record<Category, { employers: string[]; titles: string[]; expertise: string[]; departmentEmployers?: string[] }> = {
  party_cadre: {
    employers: ['中共商丘市委党校', '市委政法委', '市纪委监委', '梁园区委组织部', '睢阳区委办公室', '市总工会', '市妇联'],
    departmentEmployers: ['市民政局', '市人力资源和社会保障局', '市住房和城乡建设局', '市自然资源和规划局', '市城市管理局'],
    titles: ['科长', '副处长', '四级调研员', '主任科员', '副主任'],
    expertise: ['民政救助', '就业养老', '劳动社保', '征地拆迁', '生活保障'],
  },
  scholar: {
    employers: ['商丘师范学院法学院', '商丘工学院', '商丘职业技术学院', '河南大学法学院', '郑州大学公共管理学院', '商丘学院'],
    titles: ['教授', '副教授', '讲师', '研究员'],
    expertise: ['涉法涉诉', '征地拆迁', '劳动社保', '教育', '农村农业'],
  },
  lawyer: {
    employers: ['河南梁园律师事务所', '河南睢阳律师事务所', '河南中豫律师事务所', '河南宋城律师事务所', '河南商丘正义律师事务所', '河南永城华夏律师事务所', '河南虞城明德律师事务所'],
    titles: ['执业律师', '合伙人', '主任律师', '专职律师'],
    expertise: ['涉法涉诉', '征地拆迁', '劳动社保', '物业管理', '医疗卫生'],
  },
  volunteer: {
    employers: ['商丘市志愿者协会', '平原街道社区服务中心', '商丘市义工联合会', '睢阳区红十字会', '古宋街道新时代文明实践站'],
    titles: ['志愿者', '社区网格员', '志愿服务队长'],
    expertise: ['生活保障', '物业管理', '民政救助', '市容环保', '心理疏导'],
  },
  deputy: {
    employers: ['商丘市人大代表（市第一人民医院）', '商丘市政协委员（商丘农商银行）', '梁园区人大代表（个体经营）', '市党代表（商丘供电公司）', '市政协委员（民盟商丘市委）'],
    titles: ['人大代表', '政协委员', '党代表'],
    expertise: ['市容环保', '医疗卫生', '教育', '农村农业', '就业养老'],
  },
  counsellor: {
    employers: ['商丘市心理咨询中心', '商丘市第一人民医院心理科', '商丘市精神卫生中心', '睢阳区心理健康服务站'],
    titles: ['国家二级心理咨询师', '心理治疗师', '主治医师'],
    expertise: ['心理疏导', '生活保障', '民政救助'],
  },
  veteran: {
    employers: ['商丘市退役军人服务中心', '永城煤电集团', '商丘市公交公司', '夏邑县武装部（退休）', '民权县退役军人服务站'],
    titles: ['退役军人', '安保主管', '服务站站长'],
    expertise: ['就业养老', '生活保障', '劳动社保', '其他'],
  },
  elder: {
    employers: ['原市教育局（退休）', '原市人民医院（退休）', '原梁园区政府（退休）', '原商丘一高（退休教师）', '原市劳模协会'],
    titles: ['退休干部', '老教师', '老专家', '劳动模范', '老战士'],
    expertise: ['教育', '农村农业', '生活保障', '就业养老', '市容环保'],
  },
  senior_petitioner: {
    employers: ['个体经营', '务农', '无固定职业', '社区居民'],
    titles: ['', '村民代表', '居民代表'],
    expertise: ['征地拆迁', '生活保障', '物业管理', '其他'],
  },
};

/** How the demo pool of about 400 is spread over the nine categories. */
export const CATEGORY_COUNTS: Record<Category, number> = {
  party_cadre: 70, scholar: 40, lawyer: 65, volunteer: 55, deputy: 45, counsellor: 25, veteran: 40, elder: 45, senior_petitioner: 15,
};

export interface DemoPerson {
  name: string;
  gender: 'male' | 'female';
  birthYear: number;
  phone: string;
  idNumber: string;
  employer: string;
  employerDepartment: string | null;
  title: string;
  category: Category;
  expertise: string[];
  district: string;
  township: string;
  bio: string;
}

export function demoPeople(count: Record<Category, number>, seed = 20261121): DemoPerson[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const usedIds = new Set<string>();
  const people: DemoPerson[] = [];
  for (const [category, n] of Object.entries(count) as [Category, number][]) {
    const profile = EMPLOYERS[category];
    for (let i = 0; i < n; i++) {
      const gender = random() < 0.62 ? 'male' : 'female';
      const name = pick(Array.from(SURNAMES)) + pick(gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE);
      const elderly = category === 'elder' || category === 'veteran';
      const birthYear = elderly ? 1945 + Math.floor(random() * 20) : 1958 + Math.floor(random() * 38);
      const region = pick(REGIONS);
      const idNumber = uniqueIdNumber(region.code, birthYear, gender, random, usedIds);
      const inDepartment = profile.departmentEmployers && random() < 0.35 ? pick(profile.departmentEmployers) : null;
      const expertise = Array.from(new Set([pick(profile.expertise), pick(profile.expertise), ...(random() < 0.3 ? [pick(profile.expertise)] : [])]));
      const title = pick(profile.titles);
      people.push({
        name,
        gender,
        birthYear,
        phone: `1${pick(['35', '37', '38', '39', '50', '58', '82', '87', '36', '77'])}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
        idNumber,
        employer: inDepartment ?? pick(profile.employers),
        employerDepartment: inDepartment,
        title,
        category,
        expertise,
        district: region.district,
        township: pick(region.townships),
        bio: `${title || '热心群众'}，长期关注${expertise.join('、')}方面的问题，自愿参加信访案件第三方评价。`,
      });
    }
  }
  return people;
}

function uniqueIdNumber(code: string, year: number, gender: 'male' | 'female', random: () => number, used: Set<string>): string {
  for (;;) {
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    let seq = Math.floor(random() * 500) * 2;
    if (gender === 'male') seq += 1;
    const first17 = `${code}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(seq).padStart(3, '0')}`;
    const id = first17 + idCheckChar(first17);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
