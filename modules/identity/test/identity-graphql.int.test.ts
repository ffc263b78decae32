/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';

const photo = (person: string, n: number) => sharedDataPath(`faces/${person}/${person}${n}.png`);
const b64 = (file: string) => readFileSync(file).toString('base64');

const ENROLL = `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id displayName embeddingCount } }`;
const PERSONS = `{ persons { id displayName embeddingCount } }`;
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

describeWithInputs([photo('amy', 1), photo('amy', 2)], 'the identity GraphQL test')('identity over GraphQL', () => {
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
    expect((await gql(t.url, PERSONS, {}, owner)).data!['persons']).toEqual([person]);

    // Another tenant neither sees nor erases it: NOT_FOUND, as for a missing id.
    expect((await gql(t.url, PERSONS, {}, other)).data!['persons']).toEqual([]);
    expect((await gql(t.url, ERASE, { id: person.id }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, ERASE, { id: randomUUID() }, other)).errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');

    const erased = await gql(t.url, ERASE, { id: person.id }, owner);
    expect(erased.data!['erasePerson']).toEqual({ personId: person.id, embeddingsErased: 2 });
    expect((await gql(t.url, PERSONS, {}, owner)).data!['persons']).toEqual([]);
    const audit = (await gql(t.url, AUDIT, {}, owner)).data!['identityAuditLog'];
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['ERASE', 'ENROLL']);
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
});
