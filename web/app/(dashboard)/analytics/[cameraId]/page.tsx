import type { Metadata } from 'next';
import { CameraAnalyticsView } from '@/features/analytics/components/camera-analytics-view';

export const metadata: Metadata = { title: 'Camera analytics' };

export default async function CameraAnalyticsPage({ params }: { params: Promise<{ cameraId: string }> }) {
  const { cameraId } = await params;
  return <CameraAnalyticsView cameraId={decodeURIComponent(cameraId)} />;
}
