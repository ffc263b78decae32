/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';

const photo = (person: string, n: number) => sharedDataPath(`faces/${person}/${person}${n}.png`);
const b64 = (file: string) => readFileSync(file).toString('base64');

const ENROLL = `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id displayName embeddingCount } }`;
const PERSONS = `{ persons(first: 50) { edges { node { id displayName embeddingCount } } pageInfo { hasNextPage } } }`;
const nodes = (res: { data?: Record<string, any> | null }) => res.data!['persons'].edges.map((e: { node: unknown }) => e.node);
const CREATE_CAMERA = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const MATCH = `query($input: MatchFacePhotoInput!) { matchFacePhoto(input: $input) { kind personId similarity } }`;
const ADD_PHOTO = `mutation($input: AddPersonPhotoInput!) { addPersonPhoto(input: $input) { id embeddingCount tags } }`;
const TAG = `mutation($input: TagPersonInput!) { tagPerson(input: $input) { id tags } }`;
const HEALTH = `{ identityHealth { enrolledPeople indexedVectors acceptThreshold reviewThreshold flicker falseMerges drift { cameraId alert } gateRejections { reason count } } }`;
const ERASE = `mutation($id: ID!) { erasePerson(id: $id) { personId embeddingsErased } }`;
const AUDIT = `{ identityAuditLog { action personId actor detail } }`;

let t: TestApp;
let owner: string;
let other: string;

async function apiKey(accessToken: string, scopes: string[]): Promise<string> {
  const res = await gql(
    t.url,
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }`,
    { input: { name: scopes.join('+'), scopes } },
    accessToken,
  );
  if (!res.data?.['createApiKey']) throw new Error(JSON.stringify(res.errors));
  return res.data['createApiKey'].secret as string;
}

describeWithInputs([photo('amy', 1), photo('amy', 2), photo('amy', 3), photo('penny', 1)], 'the identity GraphQL test')('identity over GraphQL', () => {
  beforeAll(async () => {
    t = await startTestApp();
    owner = (await signUpTenant(t.url, 'Identity A')).accessToken;
    other = (await signUpTenant(t.url, 'Identity B')).accessToken;
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('enrols from photos, lists without vectors, erases with an audit trail', async () => {
    const enrolled = await gql(t.url, ENROLL, { input: { displayName: 'Amy', photos: [b64(photo('amy', 1)), b64(photo('amy', 2))] } }, owner);
    expect(enrolled.errors).toBeUndefined();
    const person = enrolled.data!['enrollPerson'];
    expect(person).toMatchObject({ displayName: 'Amy', embeddingCount: 2 });
    expect(nodes(await gql(t.url, PERSONS, {}, owner))).toEqual([person]);

    // Another tenant neither sees nor erases it: NOT_FOUND, as for a missing id.
    expect(nodes(await gql(t.url, PERSONS, {}, other))).toEqual([]);
    expect((await gql(t.url, ERASE, { id: person.id }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, ERASE, { id: randomUUID() }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

    const erased = await gql(t.url, ERASE, { id: person.id }, owner);
    expect(erased.data!['erasePerson']).toEqual({ personId: person.id, embeddingsErased: 2 });
    expect(nodes(await gql(t.url, PERSONS, {}, owner))).toEqual([]);
    const audit = (await gql(t.url, AUDIT, {}, owner)).data!['identityAuditLog'];
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['ERASE', 'ENROLL']);
    // Erased means unmatchable: the index holds nothing of them.
    expect((await gql(t.url, HEALTH, {}, owner)).data!['identityHealth']).toMatchObject({ enrolledPeople: 0, indexedVectors: 0 });
    expect(audit.every((a: { personId: string }) => a.personId === person.id)).toBe(true);
    expect((await gql(t.url, AUDIT, {}, other)).data!['identityAuditLog']).toEqual([]);
  });

  it('needs identity scopes: a key without them is FORBIDDEN, a read key cannot write', async () => {
    const camerasOnly = await apiKey(owner, ['cameras:read']);
    expect((await gql(t.url, PERSONS, {}, camerasOnly)).errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const readOnly = await apiKey(owner, ['identity:read']);
    expect((await gql(t.url, PERSONS, {}, readOnly)).errors).toBeUndefined();
    const write = await gql(t.url, ENROLL, { input: { displayName: 'X', photos: [b64(photo('amy', 1))] } }, readOnly);
    expect(write.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it.each([
    ['not base64', ['%%%']],
    ['not an image', [Buffer.from('hello, not a picture').toString('base64')]],
    ['no photos', []],
  ])('answers BAD_USER_INPUT for %s', async (_why, photos) => {
    const res = await gql(t.url, ENROLL, { input: { displayName: 'X', photos } }, owner);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('names each bad photo (corrupt, tiny, truncated, no face, two faces) and enrols nothing when any photo is bad', async () => {
    const tiny = (await sharp({ create: { width: 40, height: 40, channels: 3, background: '#888' } }).png().toBuffer()).toString('base64');
    const full = readFileSync(photo('amy', 1));
    const truncated = full.subarray(0, Math.floor(full.length / 2)).toString('base64');
    const plain = (await sharp({ create: { width: 300, height: 200, channels: 3, background: '#6a8' } }).png().toBuffer()).toString('base64');
    const two = (
      await sharp({ create: { width: 300, height: 150, channels: 3, background: '#888' } })
        .composite([
          { input: full, left: 0, top: 0 },
          { input: readFileSync(photo('howard', 1)), left: 150, top: 0 },
        ])
        .png()
        .toBuffer()
    ).toString('base64');
    const before = nodes(await gql(t.url, PERSONS, {}, owner)).length;
    // At most 3 photos a call (the gallery keeps 3 embeddings a person): two calls.
    const res = await gql(t.url, ENROLL, { input: { displayName: 'Half', photos: [b64(photo('amy', 1)), tiny, truncated] } }, owner);
    expect(res.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const bad = res.errors?.[0]?.extensions?.['photos'] as Array<{ index: number; reason: string }>;
    expect(bad.map((b) => [b.index, b.reason])).toEqual([
      [1, 'FACE_TOO_SMALL'],
      [2, 'CORRUPT_PHOTO'],
    ]);
    const res2 = await gql(t.url, ENROLL, { input: { displayName: 'Half', photos: [b64(photo('amy', 1)), plain, two] } }, owner);
    expect(res2.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    const bad2 = res2.errors?.[0]?.extensions?.['photos'] as Array<{ index: number; reason: string }>;
    expect(bad2.map((b) => [b.index, b.reason])).toEqual([
      [1, 'NO_FACE'],
      [2, 'MULTIPLE_FACES'],
    ]);
    expect(res2.errors?.[0]?.message).toContain('photos[2]');
    expect(res.errors?.[0]?.message).toContain('photos[1]');
    expect(nodes(await gql(t.url, PERSONS, {}, owner))).toHaveLength(before);
  });

  it('tags, adds a photo, and answers NOT_FOUND for unknown or foreign ids', async () => {
    const enrolled = await gql(t.url, ENROLL, { input: { displayName: 'Penny', tags: ['VIP'], photos: [b64(photo('penny', 1))] } }, owner);
    const id = enrolled.data!['enrollPerson'].id as string;
    expect((await gql(t.url, ADD_PHOTO, { input: { personId: id, photo: b64(photo('amy', 3)) } }, owner)).data!['addPersonPhoto']).toMatchObject({ embeddingCount: 2, tags: ['VIP'] });
    expect((await gql(t.url, TAG, { input: { personId: id, tags: ['VIP', 'staff'] } }, owner)).data!['tagPerson'].tags).toEqual(['VIP', 'staff']);
    for (const [query, vars] of [
      [ADD_PHOTO, { input: { personId: id, photo: b64(photo('amy', 3)) } }],
      [TAG, { input: { personId: id, tags: ['x'] } }],
      [ERASE, { id }],
    ] as const) {
      expect((await gql(t.url, query, vars, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    }
    expect((await gql(t.url, ERASE, { id: 'not-a-uuid' }, owner)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, ERASE, { id }, owner)).data!['erasePerson'].embeddingsErased).toBe(2);
  });

  it('matching on a camera without consent is FORBIDDEN with the reason; with identity on it matches, and strangers stay unknown', async () => {
    const camera = (await gql(t.url, CREATE_CAMERA, { input: { name: 'Door', sourceKind: 'UPLOAD' } }, owner)).data!['createCamera'].id as string;
    const amy = (await gql(t.url, ENROLL, { input: { displayName: 'Amy', photos: [b64(photo('amy', 1)), b64(photo('amy', 2))] } }, owner)).data!['enrollPerson'].id;
    const refused = await gql(t.url, MATCH, { input: { cameraId: camera, photo: b64(photo('amy', 3)) } }, owner);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CONSENT_REQUIRED' });
    expect(refused.errors?.[0]?.message).toMatch(/identity is off for camera .*consent/);
    const on = await gql(t.url, `mutation($id: ID!) { updateCamera(id: $id, input: { identity: true }) { identity identityConsentBy } }`, { id: camera }, owner);
    expect(on.errors).toBeUndefined();
    expect((await gql(t.url, MATCH, { input: { cameraId: camera, photo: b64(photo('amy', 3)) } }, owner)).data!['matchFacePhoto']).toMatchObject({ kind: 'MATCH', personId: amy });
    const stranger = (await gql(t.url, MATCH, { input: { cameraId: camera, photo: b64(photo('penny', 1)) } }, owner)).data!['matchFacePhoto'];
    expect(stranger.kind).not.toBe('MATCH');
    expect(stranger.personId).toBeNull();
    // Another tenant: its own camera, its empty gallery: never Amy.
    const otherCamera = (await gql(t.url, CREATE_CAMERA, { input: { name: 'B door', sourceKind: 'UPLOAD' } }, other)).data!['createCamera'].id as string;
    await gql(t.url, `mutation($id: ID!) { updateCamera(id: $id, input: { identity: true }) { identity } }`, { id: otherCamera }, other);
    expect((await gql(t.url, MATCH, { input: { cameraId: otherCamera, photo: b64(photo('amy', 3)) } }, other)).data!['matchFacePhoto']).toMatchObject({ kind: 'UNKNOWN', personId: null });
    expect((await gql(t.url, MATCH, { input: { cameraId: camera, photo: b64(photo('amy', 3)) } }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    const health = (await gql(t.url, HEALTH, {}, owner)).data!['identityHealth'];
    expect(health).toMatchObject({ enrolledPeople: 1, indexedVectors: 2, acceptThreshold: 0.615, reviewThreshold: 0.515 });
    const audit = (await gql(t.url, AUDIT, {}, owner)).data!['identityAuditLog'].map((a: { action: string }) => a.action);
    expect(audit.filter((a: string) => a === 'MATCH')).toHaveLength(2);
    await gql(t.url, ERASE, { id: amy }, owner);
  });
});
