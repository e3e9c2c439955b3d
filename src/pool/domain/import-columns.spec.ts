import { mapHeaders } from './import-columns';

describe('mapHeaders', () => {
  it('finds columns by their usual Chinese names in any order', () => {
    const { columns, missing } = mapHeaders(['序号', '身份证号码', '姓名', '性别', '出生年份', '手机', '单位', '类别', '专业领域', '区县']);
    expect(missing).toEqual([]);
    expect(columns.idNumber).toBe(1);
    expect(columns.name).toBe(2);
    expect(columns.phone).toBe(5);
    expect(columns.title).toBeUndefined();
  });
  it('ignores spaces and a bracketed note in a header', () => {
    expect(mapHeaders(['姓 名', '性别（男/女）']).columns).toEqual({ name: 0, gender: 1 });
  });
  it('names the required columns that are missing', () => {
    expect(mapHeaders(['姓名', '性别']).missing).toEqual(['出生年份', '手机号码', '身份证号', '工作单位', '人员类别', '专业领域', '所在区县']);
  });
});
