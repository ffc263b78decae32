export * from './ingest-frame.codec';
export * from './ingest-close-code';
export * from './frame-sink';
export * from './admission-frame.sink';
export * from './upload-connection.authorizer';
export * from './upload-session';
export * from './ws-upload.adapter';
