import { RateLimitService } from '../../src/common/rate-limit/rate-limit.service';
import { HttpClient, expectProblem } from '../support/http-client';
import { startTestApp } from '../support/test-app';

describe('Rate limits with REDIS_URL set but Redis unreachable', () => {
  it('each instance falls back to its own in-memory budget: still limited, never refusing everyone', async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    const t = await startTestApp({ redisUrl: 'redis://127.0.0.1:1', rateLimitAuthFailuresPerMinute: 2 });
    try {
      expect(t.dateline.app.get(RateLimitService).shared).toBe(true);
      const attempt = () =>
        new HttpClient(t.url).get('/api/v1/sections', {
          authorization: 'Bearer dl_0000000000000000_not-a-real-secret-at-all',
        });
      expectProblem(await attempt(), 401);
      expectProblem(await attempt(), 401);
      expectProblem(await attempt(), 429);
      expect((await t.editor.get('/api/v1/sections')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
