/**
 * The typed interface from identity to analytics (docs/ARCHITECTURE.md, "Store analytics").
 * Defined here so the dependency points one way: identity never imports analytics; whoever names
 * a track (the live identifier) hands this event over in the composition root (server/app).
 */
export interface PersonRecognized {
  cameraId: string;
  trackId: number;
  /** The same person on every camera: `person:<id>` when named, `visit:<id>` for an anonymous visit. */
  personKey: string;
  /** Null for an anonymous visitor. */
  personId: string | null;
  /** For the alert message only; never a metric label, never logged. */
  displayName: string | null;
  /** Flagged VIP in the identity module (false for anonymous visitors). */
  vip: boolean;
  /** This store visit's number for the person, 1 = first (anonymous visitors: 1). */
  visitNumber: number;
  /** Capture time of the frame that named the track. */
  at: Date;
}

/** Where identity events go (the analytics engine). Synchronous and cheap: called on the frame path. */
export interface IdentityEventSink {
  personRecognized(tenantId: string, event: PersonRecognized): void;
}
