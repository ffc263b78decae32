/** GraphQL documents and types of webhooks (modules/billing-safe/graphql/webhook.resolver.ts). */
import { gql } from 'urql';

/** The closed set of subscribable events (modules/billing-safe/domain/webhook-event-type.ts). */
export const WEBHOOK_EVENT_TYPES = ['analysis.completed', 'metric.updated', 'alert.raised', 'identity.matched', 'video_job.finished', 'camera.status_changed'] as const;

const ENDPOINT_FIELDS = 'id url description eventTypes cameraIds enabled disabledReason consecutiveFailures previousSecretExpiresAt createdAt';

export const WEBHOOK_ENDPOINTS_QUERY = gql`
  query WebhookEndpoints { webhookEndpoints { ${ENDPOINT_FIELDS} } }
`;

export const CREATE_WEBHOOK_ENDPOINT_MUTATION = gql`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { ${ENDPOINT_FIELDS} } }
  }
`;

export const UPDATE_WEBHOOK_ENDPOINT_MUTATION = gql`
  mutation UpdateWebhookEndpoint($id: ID!, $input: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} } }
`;

export const DELETE_WEBHOOK_ENDPOINT_MUTATION = gql`
  mutation DeleteWebhookEndpoint($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }
`;

export const ROTATE_WEBHOOK_SECRET_MUTATION = gql`
  mutation RotateWebhookSecret($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { ${ENDPOINT_FIELDS} } } }
`;

export const SEND_TEST_WEBHOOK_MUTATION = gql`
  mutation SendTestWebhook($endpointId: ID!) { sendTestWebhook(endpointId: $endpointId) { id } }
`;

export const REPLAY_WEBHOOK_DELIVERY_MUTATION = gql`
  mutation ReplayWebhookDelivery($id: ID!) { replayWebhookDelivery(id: $id) { id } }
`;

export const WEBHOOK_DELIVERIES_QUERY = gql`
  query WebhookDeliveries($endpointId: ID) {
    webhookDeliveries(endpointId: $endpointId, first: 50) {
      edges { node { id endpointId messageId eventType status attempts nextAttemptAt lastAttemptAt lastResponseCode lastError lastDurationMs replayOfId createdAt } }
    }
  }
`;

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  cameraIds: string[];
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  previousSecretExpiresAt: string | null;
  createdAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  messageId: string;
  eventType: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastResponseCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  replayOfId: string | null;
  createdAt: string;
}

export interface WebhookEndpointsResult { webhookEndpoints: WebhookEndpoint[] }
export interface EndpointWithSecretResult { secret: string; endpoint: WebhookEndpoint }
export interface CreateWebhookEndpointResult { createWebhookEndpoint: EndpointWithSecretResult }
export interface RotateWebhookSecretResult { rotateWebhookSecret: EndpointWithSecretResult }
export interface WebhookDeliveriesResult { webhookDeliveries: { edges: Array<{ node: WebhookDelivery }> } }
