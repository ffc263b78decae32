'use client';

import { useCallback, useRef } from 'react';

/**
 * Decodes preview data URLs off the render path and keeps the newest decoded one (by frame
 * sequence); a slow decode never replaces a newer image. Previews are held in memory only.
 */
export function usePreviewImage(): {
  readonly current: () => HTMLImageElement | null;
  readonly offer: (seq: number, dataUrl: string | null) => void;
} {
  const image = useRef<{ seq: number; img: HTMLImageElement } | null>(null);
  const offer = useCallback((seq: number, dataUrl: string | null) => {
    if (!dataUrl) return;
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      if (!image.current || image.current.seq < seq) image.current = { seq, img };
    };
    img.src = dataUrl;
  }, []);
  const current = useCallback(() => image.current?.img ?? null, []);
  return { current, offer };
}
