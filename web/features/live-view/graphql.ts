/** GraphQL documents and types of the live view (align with the server schema here). */
import { gql } from 'urql';

export const FRAME_RESULTS_SUBSCRIPTION = gql`
  subscription FrameResults($cameraId: ID!) {
    frameResults(cameraId: $cameraId) {
      cameraId seq captureTs width height
      tracks {
        trackId
        box { x y width height }
        keypoints { x y score }
        quality
      }
      preview
      provenance { backend model }
    }
  }
`;

export interface FrameResultMessage {
  cameraId: string;
  seq: number;
  /** Epoch ms, or an ISO date string, depending on the server's scalar. */
  captureTs: number | string;
  width: number | null;
  height: number | null;
  tracks: Array<{
    trackId: string | number;
    box: { x: number; y: number; width: number; height: number };
    keypoints: Array<{ x: number; y: number; score: number }>;
    quality: number | null;
  }>;
  /** Low-resolution JPEG as a data URL, when the camera allows previews. */
  preview: string | null;
  /** What produced the detections (simulated ground truth or a model). */
  provenance: { backend: string; model: string } | null;
}

export interface FrameResultsSubscriptionResult { frameResults: FrameResultMessage }

export const LIVE_TRACK_IDENTITIES_QUERY = gql`
  query LiveTrackIdentities($cameraId: ID!) {
    liveTrackIdentities(cameraId: $cameraId) { trackId displayName }
  }
`;

export const IDENTITY_MATCHED_SUBSCRIPTION = gql`
  subscription IdentityMatched($cameraId: ID) {
    identityMatched(cameraId: $cameraId) { cameraId trackId personId displayName similarity at }
  }
`;

export interface TrackIdentityLabel { trackId: number; displayName: string }
export interface LiveTrackIdentitiesResult { liveTrackIdentities: TrackIdentityLabel[] }
export interface IdentityMatchedSubscriptionResult { identityMatched: TrackIdentityLabel & { cameraId: string; personId: string; similarity: number; at: string } }

export const LIVE_WEAK_MATCHES_QUERY = gql`
  query LiveWeakMatches($cameraId: ID!) {
    liveWeakMatches(cameraId: $cameraId) { trackId similarity }
  }
`;

export const IDENTITY_WEAK_MATCH_SUBSCRIPTION = gql`
  subscription IdentityWeakMatch($cameraId: ID) {
    identityWeakMatch(cameraId: $cameraId) { cameraId trackId similarity at }
  }
`;

/** A track that resembles someone enrolled below the match threshold: the API never says who. */
export interface WeakTrackMatch { trackId: number; similarity: number }
export interface LiveWeakMatchesResult { liveWeakMatches: WeakTrackMatch[] }
export interface IdentityWeakMatchSubscriptionResult { identityWeakMatch: WeakTrackMatch & { cameraId: string; at: string } }
