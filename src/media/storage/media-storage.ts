/**
 * Where originals and renditions are kept: a local directory or an S3-compatible bucket. Keys are
 * slash-separated paths (`originals/<id>`, `renditions/<id>/<version>/<name>`) made by the media
 * service only, never from client text.
 */
export interface MediaStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The stored bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Buffer | null>;
  /** Removes every object whose key starts with the prefix. */
  deletePrefix(prefix: string): Promise<void>;
}

export const MEDIA_STORAGE = Symbol('MEDIA_STORAGE');
