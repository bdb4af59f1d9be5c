import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { secretProblem, sign, signingKey } from '../../src/webhooks/webhook-signature';

describe('Standard Webhooks signing', () => {
  it("matches the specification's published example", () => {
    const key = signingKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')!;
    expect(sign(key, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, Buffer.from('{"test": 2432232314}'))).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs what the reference library verifies, for any accepted secret and any JSON body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 64 }), fc.json(), fc.uuid(), (n, json, id) => {
        const secret = `whsec_${randomBytes(n).toString('base64')}`;
        expect(secretProblem(secret)).toBeNull();
        const timestamp = Math.floor(Date.now() / 1000);
        const body = Buffer.from(json, 'utf8');
        const headers = {
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': sign(signingKey(secret)!, id, timestamp, body),
        };
        expect(() => new Webhook(secret).verify(json, headers)).not.toThrow();
      }),
    );
  });

  it('accepts only whsec_ and padded standard base64 of 24 to 64 bytes', () => {
    const b64 = (n: number) => randomBytes(n).toString('base64');
    expect(secretProblem(`whsec_${b64(24)}`)).toBeNull();
    expect(secretProblem(`whsec_${b64(64)}`)).toBeNull();
    for (const secret of [
      b64(32),
      `whsec_${b64(23)}`,
      `whsec_${b64(65)}`,
      `whsec_${b64(32).replace(/=+$/, '')}`,
      `whsec_${Buffer.alloc(33, 0xfb).toString('base64url')}`,
      `whsec_ ${b64(33)}`,
      'whsec_',
      '',
    ])
      expect({ secret, problem: secretProblem(secret) }).toEqual({ secret, problem: expect.any(String) });
  });
});
