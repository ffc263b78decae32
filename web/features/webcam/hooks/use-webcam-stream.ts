'use client';

import { useCallback, useEffect, useState } from 'react';

export type WebcamState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'live'; readonly stream: MediaStream }
  | { readonly kind: 'error'; readonly message: string };

function describeMediaError(error: unknown): string {
  if (typeof window !== 'undefined' && !window.isSecureContext) {
    return 'Camera access needs a secure page (https:// or localhost). On a phone, open the dashboard through the TLS server described in web/README.md.';
  }
  if (error instanceof DOMException) {
    switch (error.name) {
      case 'NotAllowedError': return 'Camera permission was denied. Allow camera access for this site and try again.';
      case 'NotFoundError': return 'No camera was found on this device.';
      case 'NotReadableError': return 'The camera is in use by another application.';
      default: return `${error.name}: ${error.message}`;
    }
  }
  return error instanceof Error ? error.message : 'Could not start the camera.';
}

/** The device camera as a MediaStream (front camera on phones), stopped on unmount. */
export function useWebcamStream(): { state: WebcamState; start: () => Promise<void>; stop: () => void } {
  const [state, setState] = useState<WebcamState>({ kind: 'idle' });

  const start = useCallback(async () => {
    setState({ kind: 'starting' });
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('getUserMedia unavailable');
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 } },
      });
      setState({ kind: 'live', stream });
    } catch (error: unknown) {
      setState({ kind: 'error', message: describeMediaError(error) });
    }
  }, []);

  const stop = useCallback(() => {
    setState((current) => {
      if (current.kind === 'live') for (const track of current.stream.getTracks()) track.stop();
      return { kind: 'idle' };
    });
  }, []);

  useEffect(() => () => {
    setState((current) => {
      if (current.kind === 'live') for (const track of current.stream.getTracks()) track.stop();
      return current;
    });
  }, []);

  return { state, start, stop };
}
