import { ManualClock } from '@trinetra/shared';
import type { DispatchTier } from './camera-tier';
import { FrameSupervisor, type DeliveredFrame, type DispatchFrame, type FrameSupervisorOptions } from './frame-supervisor';

/** Test result payload: which frame the "worker" saw. */
export interface FakeResult {
  seq: number;
}

/** A supervisor on a manual clock with a delivery log; the factory behind the domain tests. */
export function makeSupervisor(options: Partial<FrameSupervisorOptions> = {}, cameras: Array<[string, DispatchTier]> = [['cam', 'CRITICAL']]) {
  const clock = new ManualClock(1_000_000);
  const supervisor = new FrameSupervisor<FakeResult>({ clock, instanceId: 't', ...options });
  for (const [id, tier] of cameras) supervisor.registerCamera(id, tier, { perception: 'SIMULATED', tiled: false });
  const delivered: DeliveredFrame<FakeResult>[] = [];
  supervisor.onDelivered((f) => delivered.push(f));
  const image = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
  const submit = (cameraId: string, seq: number, motion?: number) => supervisor.submit({ cameraId, seq, image, motion });
  const take = (max = 1000): DispatchFrame[] => supervisor.takeBatch(max, []).slice();
  const answer = (f: DispatchFrame, inferenceMs = 5) =>
    supervisor.applyOutcome(f.cameraId, f.seq, f.frameId, { kind: 'result', result: { seq: f.seq }, inferenceMs });
  const deliveredSeqs = (cameraId = 'cam') => delivered.filter((d) => d.cameraId === cameraId).map((d) => d.seq);
  return { clock, supervisor, delivered, submit, take, answer, deliveredSeqs };
}
