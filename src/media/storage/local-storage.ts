import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { MediaStorage } from './media-storage';

/** Objects as files under one directory (MEDIA_DIR); several instances must share it. */
export class LocalMediaStorage implements MediaStorage {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    // Keys are made by the service, but a path outside the root is refused all the same.
    if (!path.startsWith(this.root + sep)) throw new Error(`media key outside the store: ${key}`);
    return path;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Written beside and renamed into place, so a reader never sees half a file, and two
    // instances making the same rendition at once each leave a whole one.
    const temporary = join(dirname(path), `.${randomUUID()}.part`);
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix.replace(/\/+$/, '')), { recursive: true, force: true });
  }
}
