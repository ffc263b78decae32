import { QuotaFrameAdmission } from './quota-frame-admission';

const clock = { now: () => 1_000_000 };

async function admissionWith(exhausted: Set<string>): Promise<QuotaFrameAdmission> {
  const tenants: Record<string, string> = { live: 'over', bill: 'over', other: 'fine' };
  const admission = new QuotaFrameAdmission({ clock }, { exhausted: (t) => exhausted.has(t) }, async (id) => tenants[id] ?? null);
  admission.configureCamera('live', { tier: 'LIVE', targetFps: 1000 });
  admission.configureCamera('bill', { tier: 'BILLING', targetFps: 1000 });
  admission.configureCamera('other', { tier: 'STANDARD', targetFps: 1000 });
  await new Promise((r) => setImmediate(r));
  return admission;
}

describe('QuotaFrameAdmission (monthly frame allowance at live admission)', () => {
  it('refuses non-BILLING frames of a tenant over its allowance as quota_exceeded', async () => {
    const admission = await admissionWith(new Set(['over']));
    expect(admission.admitFrame({ cameraId: 'live', seq: 1, captureTs: 1 })).toEqual({ admitted: false, reason: 'quota_exceeded' });
    expect(admission.admitFrame({ cameraId: 'other', seq: 1, captureTs: 1 })).toMatchObject({ admitted: true });
  });

  it('never drops a BILLING frame for a quota (the camera is refused at start instead)', async () => {
    const admission = await admissionWith(new Set(['over']));
    for (let seq = 1; seq <= 5; seq++) expect(admission.admitFrame({ cameraId: 'bill', seq, captureTs: seq })).toMatchObject({ admitted: true });
  });

  it('admits again once the verdict changes, and admits cameras whose tenant is not known yet', async () => {
    const over = new Set(['over']);
    const admission = await admissionWith(over);
    expect(admission.admitFrame({ cameraId: 'live', seq: 1, captureTs: 1 })).toMatchObject({ admitted: false });
    over.clear();
    expect(admission.admitFrame({ cameraId: 'live', seq: 2, captureTs: 2 })).toMatchObject({ admitted: true });
    expect(admission.admitFrame({ cameraId: 'unknown', seq: 1, captureTs: 1 })).toMatchObject({ admitted: true });
  });
});
