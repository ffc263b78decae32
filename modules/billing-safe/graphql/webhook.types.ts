import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@trinetra/shared';

@ObjectType({ description: 'A receiver of signed webhooks (Standard Webhooks). Its secret is shown only when created or rotated.' })
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => String) description!: string;
  @Field(() => [String], {
    description: 'Subscribed event types: analysis.completed, metric.updated, alert.raised, identity.matched, video_job.finished, camera.status_changed.',
  })
  eventTypes!: string[];
  @Field(() => [ID], { description: 'Only events of these cameras; empty: every event.' }) cameraIds!: string[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it was disabled (by the tenant, or after failing too long).' }) disabledReason!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) disabledAt!: Date | null;
  @Field(() => Int, { description: 'Failed attempts in a row.' }) consecutiveFailures!: number;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Until then the previous secret also signs (after a rotation).' })
  previousSecretExpiresAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType({ description: 'An endpoint with its signing secret (`whsec_…`): shown this once, store it now.' })
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field(() => String) secret!: string;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: 'http(s) URL; must not reach a private or loopback address unless the tenant allowlist names it.' }) url!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field(() => [ID], { nullable: true }) cameraIds?: string[];
  @Field(() => String, { nullable: true }) description?: string;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true }) url?: string;
  @Field(() => [String], { nullable: true }) eventTypes?: string[];
  @Field(() => [ID], { nullable: true }) cameraIds?: string[];
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => Boolean, { nullable: true, description: 'true re-enables a disabled endpoint.' }) enabled?: boolean;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class WebhookDeliveryAttempt {
  @Field(() => Int) attempt!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => Int) durationMs!: number;
  @Field(() => Int, { nullable: true }) responseCode!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Boolean) succeeded!: boolean;
}

@ObjectType({ description: 'One message to one endpoint, retried until it succeeds or gives up after 24 h.' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => String, { description: 'The webhook-id header: the same on every attempt and replay.' }) messageId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => String, { description: 'PENDING (will be attempted again), SUCCEEDED, FAILED (gave up).' }) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true }) lastResponseCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Int, { nullable: true }) lastDurationMs!: number | null;
  @Field(() => ID, { nullable: true }) replayOfId!: string | null;
  @Field(() => String, { description: 'The JSON body sent.' }) body!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, 'WebhookDelivery');
