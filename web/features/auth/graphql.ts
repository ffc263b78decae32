/**
 * GraphQL documents of the auth area. All documents live in `features/<area>/graphql.ts` so
 * they can be aligned with the server schema in one place per area.
 */
import { gql } from 'urql';

/** The refresh token comes as an httpOnly cookie (cookie mode), never in the body. */
const TOKEN_FIELDS = 'accessToken';

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

/** Sent with plain `fetch` by the session store (never through urql, which depends on it); the refresh cookie goes along. */
export const REFRESH_TOKEN_MUTATION = `
  mutation RefreshToken {
    refreshToken { ${TOKEN_FIELDS} }
  }
`;

/** Ends the sign-in of the refresh cookie (sent with plain `fetch`, like the refresh). */
export const SIGN_OUT_MUTATION = `
  mutation SignOut {
    signOut
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

/** What signUp, signIn and refreshToken answer in cookie mode. */
export interface TokenPair {
  accessToken: string;
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
