import type { SourceKind } from '../graphql';

/**
 * Says plainly that a camera's people are synthetic: a simulator camera's results are its own
 * ground truth, never a model's, and must not be mistaken for real perception.
 */
export function SimulatedBadge({ sourceKind }: { sourceKind: SourceKind }) {
  if (sourceKind !== 'SIMULATOR') return null;
  return (
    <span className="badge badge--simulated" data-testid="simulated-badge" title="Synthetic people: results are the simulator's ground truth, not a model's">
      Simulated
    </span>
  );
}
