import { ClusterBus } from '../../src/common/cluster/cluster-bus';
import { testConfig } from '../support/test-app';

const redisUrl = process.env.TEST_REDIS_URL;

async function waitFor<T>(read: () => T | undefined, ms = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('The cluster bus carries messages between instances', () => {
  it('without Redis, a message reaches this instance only', async () => {
    const bus = new ClusterBus(testConfig({ redisUrl: undefined }));
    const got: unknown[] = [];
    bus.subscribe('test.channel', (m) => got.push(m));
    await bus.publish('test.channel', { n: 1 });
    expect(got).toEqual([{ n: 1 }]);
    await bus.onModuleDestroy();
  });

  const itRedis = redisUrl ? it : it.skip;
  if (!redisUrl) console.log('Skipped the Redis bus test: TEST_REDIS_URL is not set (.ci/run sets it).');

  itRedis('with Redis, a message published on one instance reaches the other, once each', async () => {
    const a = new ClusterBus(testConfig({ redisUrl }));
    const b = new ClusterBus(testConfig({ redisUrl }));
    const channel = `test.${Date.now()}`;
    const onA: unknown[] = [];
    const onB: unknown[] = [];
    a.subscribe(channel, (m) => onA.push(m));
    b.subscribe(channel, (m) => onB.push(m));
    await Promise.all([a.ready(), b.ready()]);
    await a.publish(channel, { article: 'x', count: 3 });
    await waitFor(() => (onB.length ? onB : undefined));
    await waitFor(() => (onA.length ? onA : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(onA).toEqual([{ article: 'x', count: 3 }]);
    expect(onB).toEqual([{ article: 'x', count: 3 }]);
    await Promise.all([a.onModuleDestroy(), b.onModuleDestroy()]);
  });
});
