import { mediaLibraryTests } from '../support/media-suite';
import { startTestS3 } from '../support/s3-server';

/** The same media library tests with the pictures in an S3 bucket (an S3-protocol server on 127.0.0.1). */
mediaLibraryTests('S3 bucket', async () => {
  const s3 = await startTestS3();
  return { media: { storage: 's3', s3: s3.s3 }, env: s3.env, close: () => s3.close() };
});
