// The VectorIndex contract against Milvus (infra/milvus-vector-index.ts).
//
// The contract suite is registered ONLY when MILVUS_ADDRESS is set (docker-compose brings a
// real Milvus: `MILVUS_ADDRESS=localhost:19530`); then a Milvus that does not answer fails the
// run. Without MILVUS_ADDRESS the suite is not registered at all (never `it.skip`: CI fails on
// skipped tests, scripts/jest-no-skips-reporter.js) and this file prints one line saying the
// Milvus contract was NOT run. The checks below it need no server and always run.
import { randomUUID } from 'node:crypto';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { MilvusVectorIndex, milvusCollectionOf } from '../infra/milvus-vector-index';
import { seededVectors, vectorIndexContract } from './vector-index.contract';

const address = process.env['MILVUS_ADDRESS'];

if (address) {
  describe(`MilvusVectorIndex at ${address}: VectorIndex contract`, () => {
    beforeAll(async () => {
      if (!(await MilvusVectorIndex.answers(address, 10_000))) throw new Error(`MILVUS_ADDRESS=${address} is set but Milvus does not answer there`);
    }, 15_000);
    // One collection per run, so runs never see each other's vectors.
    vectorIndexContract(async () => MilvusVectorIndex.connect(address), { model: `contract_${Date.now()}` });
  });
} else {
  console.log('[identity] Milvus VectorIndex contract NOT RUN: MILVUS_ADDRESS is not set (docker compose up milvus, then MILVUS_ADDRESS=localhost:19530)');
}

describe('MilvusVectorIndex input guards (no server needed)', () => {
  // No client at all: every guard must throw before any request could be made.
  const index = new MilvusVectorIndex({} as MilvusClient);

  it('refuses a tenant or person id that is not a UUID before it reaches a filter expression (injection attempt)', async () => {
    const v = seededVectors(1, 8)[0]!;
    await expect(index.search('x" || tenant_id != "x', 'faceres', v, 1)).rejects.toThrow(/UUID/);
    await expect(index.remove(randomUUID(), ['a" or person_id != "'])).rejects.toThrow(/UUID/);
    await expect(index.upsert(randomUUID(), 'faceres', [{ id: 'not-a-uuid', personId: randomUUID(), vector: v }])).rejects.toThrow(/UUID/);
  });

  it('names one collection per model and refuses a model name Milvus could misread', () => {
    expect(milvusCollectionOf('faceres')).toBe('trinetra_identity_faceres');
    expect(milvusCollectionOf('faceres-deep')).toBe('trinetra_identity_faceres_deep');
    expect(() => milvusCollectionOf('a b; drop')).toThrow(RangeError);
  });
});
