import type { FrameReport } from '@trinetra/gpu-worker';
import type { FrameTransport, OutgoingBatch } from '../infra/frame.transport';
import { ControlPlane, type ControlPlaneFault } from './control-plane.service';

/** The transport port in memory: batches are kept, reports are pushed by the test. */
class MemoryTransport implements FrameTransport {
  readonly sent: OutgoingBatch[] = [];
  deliver: (reports: FrameReport[]) => void = () => undefined;
  fail: (error: Error) => void = () => undefined;
  async send(batch: OutgoingBatch): Promise<void> {
    this.sent.push(batch);
  }
  start(onReports: (reports: FrameReport[]) => void, onError: (error: Error) => void): void {
    this.deliver = onReports;
    this.fail = onError;
  }
  async close(): Promise<void> {}
}

describe('ControlPlane faults', () => {
  let transport: MemoryTransport;
  let plane: ControlPlane;
  const faults: ControlPlaneFault[] = [];
  beforeEach(() => {
    transport = new MemoryTransport();
    plane = new ControlPlane(transport, { batchSize: 2, batchWaitMs: 1 });
    plane.onFault((f) => faults.push(f));
    plane.registerCamera('cam', 'CRITICAL', { perception: 'SIMULATED', tiled: false });
    plane.start();
  });
  afterEach(async () => {
    await plane.stop();
    faults.length = 0;
  });

  it('a batch the worker could not run (batch_failed) is failed as a batch: event, breaker failure, frames dispatched again', () => {
    plane.submitFrame({ cameraId: 'cam', seq: 1, image: Buffer.from('a') });
    plane.submitFrame({ cameraId: 'cam', seq: 2, image: Buffer.from('b') });
    const [batch] = transport.sent;
    transport.deliver(
      batch!.frames.map((f) => ({
        frameId: f.frameId,
        cameraId: f.cameraId,
        seq: f.seq,
        status: 'batch_failed',
        message: 'inference failed: CUDA out of memory',
      })),
    );
    const failed = plane.events({ kinds: ['batch_failed'] });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain('CUDA out of memory');
    expect(transport.sent).toHaveLength(2);
    expect(transport.sent[1]!.frames.map((f) => f.seq)).toEqual([1, 2]);
  });

  it('passes transport errors and throwing delivery listeners to fault listeners, keeping the frame delivered', () => {
    transport.fail(new Error('connection refused'));
    plane.onDelivered(() => {
      throw new Error('tracker bug');
    });
    plane.submitFrame({ cameraId: 'cam', seq: 1, image: Buffer.from('a') });
    plane.submitFrame({ cameraId: 'cam', seq: 2, image: Buffer.from('b') });
    const [batch] = transport.sent;
    transport.deliver(
      batch!.frames.map((f) => ({
        frameId: f.frameId,
        cameraId: f.cameraId,
        seq: f.seq,
        status: 'ok',
        startedAt: Date.now(),
        inferenceMs: 1,
        detections: { width: 1, height: 1, persons: [], backend: 'simulated', provenance: { backend: 'simulated', model: 'ground-truth' } },
      })),
    );
    expect(faults.map((f) => f.kind)).toEqual(['transport', 'listener', 'listener']);
    expect(plane.accountingViolations()).toEqual([]);
    expect(plane.health().cameras[0]).toMatchObject({ delivered: 2 });
  });
});
