import { isPrivateAddress, webhookUrlProblem } from '../../src/webhooks/private-address';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.1',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.100.100.200',
    '0.0.0.0',
    '0.1.2.3',
    '255.255.255.255',
    '224.0.0.1',
    '::',
    '::1',
    '::127.0.0.1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'fc00::1',
    'fd00:ec2::254',
    'fe80::1',
    'ff02::1',
    '2002:7f00:1::',
    // IPv4-translated (SIIT), NAT64 local-use, 6to4 and Teredo forms of private IPv4 addresses
    '::ffff:0:7f00:1',
    '::ffff:0:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:7f00:1',
    '64:ff9b::7f00:1',
    '64:ff9b:1::a00:1',
    '64:ff9b:1::808:808',
    '::a00:1',
    '2002:a00:1::1',
    '2002:a9fe:a9fe::',
    '2001:0:4136:e378:8000:63bf:f5ff:fffe',
    '2001:0:a00:1:8000:63bf:f7f7:f7f7',
    '2001:db8::1',
    'not-an-address',
  ])('%s is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '93.184.215.14',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '::ffff:0:808:808',
    '2002:808:808::1',
    '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
  ])('%s is allowed', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('webhookUrlProblem', () => {
  it('wants http or https', async () => {
    expect(await webhookUrlProblem('ftp://example.com/', true)).toMatch(/http/);
    expect(await webhookUrlProblem('javascript:alert(1)', true)).toMatch(/http/);
    expect(await webhookUrlProblem('nope', true)).toMatch(/http/);
    expect(await webhookUrlProblem('http://127.0.0.1:3000/hook', true)).toBeNull();
  });

  it('refuses private literals and names that resolve to them unless allowed', async () => {
    expect(await webhookUrlProblem('http://[::1]:80/', false)).toMatch(/private/);
    expect(await webhookUrlProblem('http://0x7f.1/', false)).toMatch(/private/);
    expect(await webhookUrlProblem('http://localhost:8080/', false)).toMatch(/private/);
    expect(await webhookUrlProblem('http://[::ffff:0:7f00:1]/', false)).toMatch(/private/);
    expect(await webhookUrlProblem('http://[64:ff9b:1::a00:1]/', false)).toMatch(/private/);
    expect(await webhookUrlProblem('https://93.184.215.14/hook', false)).toBeNull();
  });
});
