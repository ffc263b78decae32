export * from './video-processor';
export * from './file-video.processor';
export * from './video-job.store';
export * from './video-job.service';
export * from './video-job.runner';
export * from './job-slots';
export * from './stale-output.sweeper';
