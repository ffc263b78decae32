import type { PubSub } from 'type-graphql';
import { parseCameraCommand, type CameraCommand, type CameraControlBus } from '@trinetra/tracking';
import type { Logger } from '../observability/logger';

/** Pub/sub topic of camera start/stop commands between replicas (not a GraphQL subscription). */
export const CAMERA_CONTROL_TOPIC = 'CAMERA_CONTROL';

/**
 * Start/stop of a camera another replica owns travels over Redis pub/sub to every replica;
 * only the lease holder acts on it (modules/tracking/pipeline/camera-ownership.ts). A lost
 * message is repaired by the owner's reconcile loop within one lease renewal interval.
 */
export function pubSubCameraControl(pubSub: PubSub, logger: Logger): CameraControlBus {
  return {
    send: (command: CameraCommand) => pubSub.publish(CAMERA_CONTROL_TOPIC, command),
    subscribe: (handler) => {
      const messages = pubSub.subscribe(CAMERA_CONTROL_TOPIC) as AsyncIterableIterator<unknown>;
      void (async () => {
        for await (const message of messages) {
          const command = parseCameraCommand(message);
          if (command) handler(command);
          else logger.warn({ message }, 'ignored a malformed camera control message');
        }
      })().catch((err: unknown) => logger.error({ err }, 'camera control listener stopped'));
      return () => void messages.return?.();
    },
  };
}
