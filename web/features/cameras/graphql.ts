/** GraphQL documents and types of the cameras area (align with the server schema here). */
import { gql } from 'urql';

import { CameraPerception, CameraTier, SourceKind, type CameraStatusReason } from '../../lib/generated/graphql';

// The vocabularies come from the API's schema (lib/generated, `npm run codegen`), never copied.
export const CAMERA_TIERS = Object.values(CameraTier);
export type { CameraPerception, CameraTier, SourceKind };
export const SOURCE_KINDS = Object.values(SourceKind);
export const CAMERA_PERCEPTIONS = Object.values(CameraPerception);

export interface Camera {
  id: string;
  name: string;
  purpose: string;
  tier: CameraTier;
  sourceKind: SourceKind;
  sourceUrl: string | null;
  targetFps: number;
  /** How the worker looks at its frames; simulator cameras are always simulated whatever it says. */
  perception: CameraPerception;
  tiled: boolean;
  /** Faces are embedded for identity; turned on with recorded consent. */
  identity: boolean;
  identityConsentBy: string | null;
  identityConsentAt: string | null;
  desiredStatus: string;
  status: string;
  /** Why the source failed, stalled or ended (null once it starts again), and what to do next. */
  statusReason: CameraStatusReason | null;
  statusMessage: string | null;
}

/** What the camera form sends to createCamera / updateCamera (absent purpose: server default). */
export interface CameraInput {
  name: string;
  purpose?: string;
  tier: CameraTier;
  sourceKind: SourceKind;
  sourceUrl: string | null;
  targetFps: number;
  /** Absent: the server's default for the source kind (CLOSE_UP for uploads, SCENE otherwise). */
  perception?: CameraPerception;
  /** SCENE only. */
  tiled?: boolean;
  /** Sent only when it changes (it needs identity:write). */
  identity?: boolean;
}

const CAMERA_FIELDS = 'id name purpose tier sourceKind sourceUrl targetFps perception tiled identity identityConsentBy identityConsentAt desiredStatus status statusReason statusMessage';

export const CAMERAS_QUERY = gql`
  query Cameras($first: Int!, $after: String) {
    cameras(first: $first, after: $after) {
      edges { node { ${CAMERA_FIELDS} } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export interface CamerasResult {
  cameras: {
    edges: Array<{ node: Camera }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export const CAMERA_QUERY = gql`
  query Camera($id: ID!) {
    camera(id: $id) { ${CAMERA_FIELDS} }
  }
`;

export interface CameraResult {
  camera: Camera | null;
}

export const CREATE_CAMERA_MUTATION = gql`
  mutation CreateCamera($input: CreateCameraInput!) {
    createCamera(input: $input) { ${CAMERA_FIELDS} }
  }
`;

export interface CreateCameraResult {
  createCamera: Camera;
}

export const UPDATE_CAMERA_MUTATION = gql`
  mutation UpdateCamera($id: ID!, $input: UpdateCameraInput!) {
    updateCamera(id: $id, input: $input) { ${CAMERA_FIELDS} }
  }
`;

export interface UpdateCameraResult {
  updateCamera: Camera;
}

export const DELETE_CAMERA_MUTATION = gql`
  mutation DeleteCamera($id: ID!) {
    deleteCamera(id: $id) {
      id
    }
  }
`;

export const START_CAMERA_MUTATION = gql`
  mutation StartCamera($id: ID!) {
    startCamera(id: $id) {
      id
      desiredStatus
      status
    }
  }
`;

export const STOP_CAMERA_MUTATION = gql`
  mutation StopCamera($id: ID!) {
    stopCamera(id: $id) {
      id
      desiredStatus
      status
    }
  }
`;

export const CAMERA_STATUS_CHANGED_SUBSCRIPTION = gql`
  subscription CameraStatusChanged {
    cameraStatusChanged {
      cameraId
      status
      reason
      statusReason
      at
    }
  }
`;

export interface CameraStatusChange {
  cameraId: string;
  status: string;
  /** In words: the detail and what to do next. */
  reason: string | null;
  statusReason: CameraStatusReason | null;
  at: string;
}

export interface CameraStatusChangedResult {
  cameraStatusChanged: CameraStatusChange;
}
