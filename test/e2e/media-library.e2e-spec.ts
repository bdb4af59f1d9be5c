import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaLibraryTests } from '../support/media-suite';

/** The media library with its pictures in a local directory (MEDIA_STORAGE=local, the default). */
mediaLibraryTests('local directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dateline-media-'));
  return Promise.resolve({
    media: { storage: 'local', dir },
    env: { MEDIA_STORAGE: 'local', MEDIA_DIR: dir },
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});
