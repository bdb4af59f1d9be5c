import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { ClusterBus } from '../../src/common/cluster/cluster-bus';
import { testConfig } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const redisUrl = process.env.TEST_REDIS_URL;

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
    await waitFor('the message on B', () => (onB.length ? onB : undefined));
    await waitFor('the message on A', () => (onA.length ? onA : undefined));
    await new Promise((r) => setTimeout(r, 100));
    expect(onA).toEqual([{ article: 'x', count: 3 }]);
    expect(onB).toEqual([{ article: 'x', count: 3 }]);
    await Promise.all([a.onModuleDestroy(), b.onModuleDestroy()]);
  });

  itRedis(
    'a channel asked for while the connection is still coming up, or across a reconnection, still gets its messages',
    async () => {
      const a = new ClusterBus(testConfig({ redisUrl }));
      const b = new ClusterBus(testConfig({ redisUrl }));
      // The moment that lost every subscription: connected, but not yet ready.
      const subscriber = (b as unknown as { subscriber: Redis }).subscriber;
      await once(subscriber, 'connect');
      const channel = `test.${Date.now()}.early`;
      const onB: unknown[] = [];
      b.subscribe(channel, (m) => onB.push(m));
      /** Publishes `token` until B has it (a message sent before B listens is lost, as it should be). */
      const heard = async (token: string) => {
        for (let i = 0; i < 100 && !onB.some((m) => (m as { token: string }).token === token); i++) {
          if (b.deliveryEpoch >= 0) await a.publish(channel, { token });
          await new Promise((r) => setTimeout(r, 50));
        }
        expect(onB).toContainEqual({ token });
      };
      await heard('before');
      const epoch = b.deliveryEpoch;
      subscriber.disconnect(true);
      await waitFor('a new delivery epoch on B', () => b.deliveryEpoch > epoch);
      await heard('after');
      await Promise.all([a.onModuleDestroy(), b.onModuleDestroy()]);
    },
  );
});
