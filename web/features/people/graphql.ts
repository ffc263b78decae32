/** GraphQL documents and types of the People area (modules/identity/graphql/identity.resolver.ts). */
import { gql } from 'urql';

export interface Person {
  id: string;
  displayName: string;
  tags: string[];
  embeddingCount: number;
  createdAt: string;
}

const PERSON_FIELDS = 'id displayName tags embeddingCount createdAt';

export const PERSONS_QUERY = gql`
  query Persons($first: Int!, $after: String, $tag: String) {
    persons(first: $first, after: $after, tag: $tag) {
      edges { cursor node { ${PERSON_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface PersonsResult {
  persons: { edges: { cursor: string; node: Person }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const ENROLL_PERSON_MUTATION = gql`
  mutation EnrollPerson($input: EnrollPersonInput!) {
    enrollPerson(input: $input) { ${PERSON_FIELDS} }
  }
`;

export const ADD_PERSON_PHOTO_MUTATION = gql`
  mutation AddPersonPhoto($input: AddPersonPhotoInput!) {
    addPersonPhoto(input: $input) { ${PERSON_FIELDS} }
  }
`;

export const TAG_PERSON_MUTATION = gql`
  mutation TagPerson($input: TagPersonInput!) {
    tagPerson(input: $input) { ${PERSON_FIELDS} }
  }
`;

export const ERASE_PERSON_MUTATION = gql`
  mutation ErasePerson($id: ID!) {
    erasePerson(id: $id) { personId embeddingsErased }
  }
`;

export const IDENTITY_HEALTH_QUERY = gql`
  query IdentityHealth {
    identityHealth {
      enrolledPeople indexedVectors acceptThreshold reviewThreshold weakMatches flicker falseMerges
      drift { cameraId recentMean recentSamples baselineMean alert }
      gateRejections { reason count }
    }
  }
`;

export interface IdentityHealthResult {
  identityHealth: {
    enrolledPeople: number;
    indexedVectors: number;
    acceptThreshold: number;
    reviewThreshold: number;
    weakMatches: number;
    flicker: number;
    falseMerges: number;
    drift: { cameraId: string; recentMean: number | null; recentSamples: number; baselineMean: number | null; alert: boolean }[];
    gateRejections: { reason: string; count: number }[];
  };
}
