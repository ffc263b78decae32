/** GraphQL documents and types of the plan, quotas and usage (modules/billing-safe/graphql/plan.resolver.ts). */
import { gql } from 'urql';

export const PLAN_AND_USAGE_QUERY = gql`
  query PlanAndUsage($from: DateTimeISO!, $to: DateTimeISO!) {
    plan { code name maxCameras maxConcurrentStreams maxWebhookEndpoints monthlyFrameQuota monthlyAnalysisQuota requestsPerMinute }
    quotas { name limit used resetsAt }
    usage(from: $from, to: $to) { day meter quantity }
  }
`;

export interface Plan { code: string; name: string; maxCameras: number; maxConcurrentStreams: number; maxWebhookEndpoints: number; monthlyFrameQuota: number; monthlyAnalysisQuota: number; requestsPerMinute: number }
export interface Quota { name: string; limit: number; used: number; resetsAt: string | null }
export interface UsageDay { day: string; meter: string; quantity: number }
export interface PlanAndUsageResult { plan: Plan; quotas: Quota[]; usage: UsageDay[] }
