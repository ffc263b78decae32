export * from './mot.error';
export * from './linear-assignment';
export * from './detections';
export * from './kalman-box.filter';
export * from './byte-tracker';
export * from './tracker-checkpoint.store';
