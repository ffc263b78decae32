import type { Metadata } from 'next';
import { AnalysesView } from '@/features/motion/components/analyses-view';

export const metadata: Metadata = { title: 'Analyses' };

export default function AnalysesPage() {
  return <AnalysesView />;
}
