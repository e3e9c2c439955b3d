import type request from 'supertest';

/** A response body as bytes (PDFs, spreadsheets, zips): `agent.get(url).buffer(true).parse(binary)`. */
export const binary = (res: request.Response, callback: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
};
