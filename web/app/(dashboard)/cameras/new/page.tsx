import type { Metadata } from 'next';
import { CreateCameraForm } from '@/features/cameras/components/camera-form';

export const metadata: Metadata = { title: 'Add camera' };

export default function NewCameraPage() {
  return <CreateCameraForm />;
}
