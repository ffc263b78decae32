/** What is metered in the usage ledger. */
export const USAGE_METERS = ['frames_processed', 'webhook_deliveries', 'analyses_created'] as const;
export type UsageMeterName = (typeof USAGE_METERS)[number];

/** One metered unit (or several, with `quantity`), identified so a repeat is counted once. */
export interface UsageEntry {
  meter: UsageMeterName;
  /** Unique per tenant and meter: a camera id + frame sequence, a delivery id + attempt. */
  idempotencyKey: string;
  quantity: number;
  occurredAt: Date;
}

/** Where metered units go (the usage ledger); other modules call it through this port. */
export interface UsageMeter {
  record(tenantId: string, entries: readonly UsageEntry[]): Promise<void>;
}
