import type { Metadata } from 'next';
import { CameraList } from '@/features/cameras/components/camera-list';

export const metadata: Metadata = { title: 'Cameras' };

export default function CamerasPage() {
  return <CameraList />;
}
