import type { Metadata } from 'next';
import { WebcamView } from '@/features/webcam/components/webcam-view';

export const metadata: Metadata = { title: 'Webcam' };

export default function WebcamPage() {
  return <WebcamView />;
}
