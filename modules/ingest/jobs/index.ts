export * from './video-processor';
export * from './file-video.processor';
export * from './video-job.store';
export * from './video-job.service';
