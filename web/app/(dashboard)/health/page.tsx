import type { Metadata } from 'next';
import { Suspense } from 'react';
import { PipelineHealthView } from '@/features/health/components/pipeline-health-view';

export const metadata: Metadata = { title: 'Pipeline health' };

export default function HealthPage() {
  return (
    <Suspense fallback={<p className="loading" aria-busy="true">Loading…</p>}>
      <PipelineHealthView />
    </Suspense>
  );
}
