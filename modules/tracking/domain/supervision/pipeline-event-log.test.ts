import { PipelineEventLog, type PipelineEventInput, type PipelineEventKind } from './pipeline-event-log';

const event = (cameraId: string, kind: PipelineEventKind, seq: number): PipelineEventInput => ({
  at: seq,
  kind,
  cameraId,
  seq,
  reason: kind === 'frame_dropped' ? 'ttl_expired' : null,
  breakerFrom: null,
  breakerTo: null,
  message: '',
});

describe('PipelineEventLog', () => {
  const fill = (log: PipelineEventLog, n: number) => {
    for (let i = 1; i <= n; i += 1) log.append(event(i % 2 ? 'a' : 'b', i % 3 ? 'frame_dropped' : 'orphaned_result', i));
  };

  it.each([
    { query: { last: 3 }, expected: [8, 9, 10] },
    { query: { cameraId: 'a', last: 10 }, expected: [5, 7, 9] },
    { query: { kinds: ['orphaned_result' as const], last: 10 }, expected: [6, 9] },
    { query: { cameraId: 'b', kinds: ['frame_dropped' as const], last: 1 }, expected: [10] },
    { query: { last: 0 }, expected: [] },
  ])('keeps the newest `capacity` events and filters $query', ({ query, expected }) => {
    const log = new PipelineEventLog(6);
    fill(log, 10);
    expect(log.size).toBe(6);
    expect(log.query(query).map((e) => e.seq)).toEqual(expected);
  });

  it('numbers events and streams them to subscribers until unsubscribed', () => {
    const log = new PipelineEventLog(2);
    const seen: number[] = [];
    const unsubscribe = log.subscribe((e) => seen.push(e.id));
    fill(log, 3);
    unsubscribe();
    fill(log, 1);
    expect(seen).toEqual([1, 2, 3]);
    expect(log.appended).toBe(4);
  });
});
