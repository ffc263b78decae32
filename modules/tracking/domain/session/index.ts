export * from './camera-tracking.session';
