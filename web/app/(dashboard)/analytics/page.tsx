import type { Metadata } from 'next';
import { AnalyticsCameraPicker } from '@/features/analytics/components/analytics-camera-picker';

export const metadata: Metadata = { title: 'Analytics' };

export default function AnalyticsPage() {
  return <AnalyticsCameraPicker />;
}
