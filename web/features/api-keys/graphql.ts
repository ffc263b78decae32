/** GraphQL documents and types of the API keys area (server/auth/auth.resolver.ts). */
import { gql } from 'urql';

export interface ApiKey {
  id: string;
  name: string;
  /** Visible start of the key, to recognise it in lists and logs. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  /** Set by the server when the key authenticates a request (at most once a minute). */
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const API_KEY_FIELDS = 'id name prefix scopes createdAt lastUsedAt revokedAt';

export const API_KEYS_QUERY = gql`
  query ApiKeys {
    apiKeys { ${API_KEY_FIELDS} }
  }
`;

export interface ApiKeysResult {
  apiKeys: ApiKey[];
}

export const CREATE_API_KEY_MUTATION = gql`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      apiKey { ${API_KEY_FIELDS} }
      secret
    }
  }
`;

export interface CreateApiKeyResult {
  createApiKey: { apiKey: ApiKey; secret: string };
}

export const REVOKE_API_KEY_MUTATION = gql`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) { ${API_KEY_FIELDS} }
  }
`;
