import S3rver from '@20minutes/s3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaConfig } from '../../src/config/config';

export interface TestS3 {
  /** The S3_* settings that reach it, as MediaConfig['s3'] and as environment variables. */
  s3: MediaConfig['s3'];
  env: Record<string, string>;
  close(): Promise<void>;
}

/** An S3-protocol server (s3rver) on 127.0.0.1 with one bucket, its objects in a temporary directory. */
export async function startTestS3(bucket = 'dateline-media'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'dateline-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
    // The AWS SDK signs a path-style bucket request (a listing) as `/bucket/`, s3rver checks
    // `/bucket`: every listing would be refused as forged. Signatures are the SDK's concern; what
    // is tested here is what Dateline stores, reads and deletes.
    allowMismatchedSignatures: true,
  });
  const address = (await server.run()) as { port: number };
  const s3 = {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    // s3rver's fixed credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
  return {
    s3,
    env: {
      MEDIA_STORAGE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: bucket,
      S3_REGION: s3.region,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
