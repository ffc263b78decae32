import type { Metadata } from 'next';
import { EditCameraForm } from '@/features/cameras/components/camera-form';

export const metadata: Metadata = { title: 'Edit camera' };

export default async function EditCameraPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditCameraForm cameraId={decodeURIComponent(id)} />;
}
