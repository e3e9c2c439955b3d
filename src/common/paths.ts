import * as fs from 'node:fs';
import * as path from 'node:path';

/** The project root (the folder with package.json), whether running from src/ under Jest or from dist/. */
function findProjectRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findProjectRoot(__dirname);
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates');
export const ASSETS_DIR = path.join(TEMPLATES_DIR, 'assets');
