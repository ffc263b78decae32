/**
 * Close codes of the `/ingest` socket (docs/ingest-protocol.md). 4xxx mirror HTTP statuses the
 * way graphql-ws does; 1008/1009/1011 are the standard ones `ws` also uses.
 */
export enum IngestCloseCode {
  /** Client or server closed normally. */
  Normal = 1000,
  /** Server shutting down; reconnect later. */
  GoingAway = 1001,
  /** A message larger than the maximum payload (sent by the WebSocket layer). */
  MessageTooBig = 1009,
  /** Unexpected server fault. */
  InternalError = 1011,
  /** Too many malformed messages. */
  BadRequest = 4400,
  /** No credential, or an invalid, expired or revoked one. */
  Unauthorized = 4401,
  /** The credential lacks the `ingest` scope. */
  Forbidden = 4403,
  /** No such camera for this tenant (also for malformed ids and other tenants' cameras). */
  NotFound = 4404,
  /** The camera exists but does not take uploads (not an UPLOAD source and not LIVE-tier). */
  CameraNotUploadable = 4409,
  /**
   * Another server replica owns the camera (holds its lease): the frame was not taken.
   * Reconnect (through the load balancer) with backoff; HTTP's 421 Misdirected Request.
   */
  NotOwner = 4421,
  /** The client kept sending above its rate limit. */
  TooManyRequests = 4429,
}
