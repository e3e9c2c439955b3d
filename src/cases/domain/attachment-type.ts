/** The case-file types Tianping keeps. */
export type AttachmentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** The case file's type, read from its first bytes; the name and the browser's claim are ignored. */
export function sniffAttachmentType(buffer: Buffer): AttachmentType | null {
  if (buffer.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'image/jpeg';
  if (buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

