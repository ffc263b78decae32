/**
 * GraphQL documents of the auth area. All documents live in `features/<area>/graphql.ts` so
 * they can be aligned with the server schema in one place per area.
 */
import { gql } from 'urql';

const TOKEN_FIELDS = 'accessToken refreshToken';

export const SIGN_UP_MUTATION = gql`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { ${TOKEN_FIELDS} }
  }
`;

export const SIGN_IN_MUTATION = gql`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) { ${TOKEN_FIELDS} }
  }
`;

/** Sent with plain `fetch` by the session store (never through urql, which depends on it). */
export const REFRESH_TOKEN_MUTATION = `
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) { ${TOKEN_FIELDS} }
  }
`;

export const ME_QUERY = gql`
  query Me {
    me {
      user { id email }
      tenant { id name }
      scopes
    }
  }
`;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface SignUpResult { signUp: TokenPair }
export interface SignInResult { signIn: TokenPair }
export interface RefreshTokenResult { refreshToken: TokenPair }

export interface MeResult {
  me: {
    /** Null when the caller is an API key. */
    user: { id: string; email: string } | null;
    tenant: { id: string; name: string };
    scopes: string[];
  };
}
