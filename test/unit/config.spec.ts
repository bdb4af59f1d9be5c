import { ConfigError, loadConfig } from '../../src/config/config';

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 192.0.2.10 ,::1', ['10.0.0.0/8', '192.0.2.10', '::1']],
    ['fd00::/8,loopback', ['fd00::/8', 'loopback']],
  ])('%s is %j', (value, trustProxy) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).trustProxy).toEqual(trustProxy);
  });

  it.each([
    'true',
    'TRUE',
    'yes',
    '33',
    '-1',
    '1.5',
    '10.1',
    '10.0.0.0/33',
    '10.0.0.1,',
    'proxy.example',
    '*',
  ])('%s is refused with one line naming the setting', (value) => {
    let error: unknown;
    try {
      loadConfig({ TRUST_PROXY: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid setting TRUST_PROXY: [^\n]+$/);
  });
});
