import { sniffAttachmentType } from './attachment-type';

describe('sniffAttachmentType', () => {
  it('recognises PDF, JPEG and PNG by their first bytes', () => {
    expect(sniffAttachmentType(Buffer.from('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffAttachmentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toBe('image/jpeg');
    expect(sniffAttachmentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
  });
  it('refuses anything else, whatever it is called', () => {
    expect(sniffAttachmentType(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffAttachmentType(Buffer.from('MZ\x90\x00'))).toBeNull();
  });
});
