import { OutputLinkSigner } from './output-link';

const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const JOB = '33333333-3333-4333-8333-333333333333';
const NOW = Date.UTC(2026, 10, 29, 16, 0, 0);

function queryOf(path: string): URLSearchParams {
  return new URL(path, 'http://api.test').searchParams;
}

describe('OutputLinkSigner', () => {
  const signer = new OutputLinkSigner('a-server-secret-of-at-least-32-characters!', { ttlSeconds: 900 });

  it('signs a path naming the job, valid until its expiry', () => {
    const { path, expiresAt } = signer.sign(TENANT, JOB, NOW);
    expect(path).toMatch(new RegExp(`^/outputs/${JOB}\\?tenant=${TENANT}&expires=\\d+&sig=[0-9a-f]{64}$`));
    expect(expiresAt.getTime()).toBe(NOW + 900_000);
    expect(signer.verify(JOB, queryOf(path), NOW + 899_000)).toEqual({ tenantId: TENANT, jobId: JOB });
    expect(signer.verify(JOB, queryOf(path), NOW + 901_000)).toBeNull();
  });

  it('refuses a link moved to another job or tenant, a later expiry, a forged or malformed signature', () => {
    const query = queryOf(signer.sign(TENANT, JOB, NOW).path);
    const altered = (key: string, value: string): URLSearchParams => {
      const q = new URLSearchParams(query);
      q.set(key, value);
      return q;
    };
    expect(signer.verify('44444444-4444-4444-8444-444444444444', query, NOW)).toBeNull();
    expect(signer.verify(`../${JOB}`, query, NOW)).toBeNull();
    expect(signer.verify(JOB, altered('tenant', OTHER), NOW)).toBeNull();
    expect(signer.verify(JOB, altered('expires', String(Number(query.get('expires')) + 60)), NOW)).toBeNull();
    expect(signer.verify(JOB, altered('sig', '0'.repeat(64)), NOW)).toBeNull();
    expect(signer.verify(JOB, altered('sig', 'zz'), NOW)).toBeNull();
    expect(signer.verify(JOB, altered('expires', '1e99'), NOW)).toBeNull();
    expect(signer.verify(JOB, new URLSearchParams(), NOW)).toBeNull();
  });

  it('a link signed with another server secret is refused', () => {
    const other = new OutputLinkSigner('another-server-secret-of-32-characters!!');
    expect(signer.verify(JOB, queryOf(other.sign(TENANT, JOB, NOW).path), NOW)).toBeNull();
  });
});
