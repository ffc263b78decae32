import type { Metadata } from 'next';
import { CameraLiveView } from '@/features/live-view/components/camera-live-view';

export const metadata: Metadata = { title: 'Live view' };

export default async function CameraLivePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <CameraLiveView cameraId={decodeURIComponent(id)} />;
}
