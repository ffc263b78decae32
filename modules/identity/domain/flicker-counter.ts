/**
 * Counts identity flicker: a track whose name changes after it was named (A then B, or A
 * then unknown then A again counts once per change of name). A stable system names a track
 * once; flicker means thresholds or the vote are too loose for a camera.
 */
export class FlickerCounter {
  private readonly lastName = new Map<string, string>();

  /** Records a track's current name (null = not named now); answers whether this was a flicker. */
  observe(trackKey: string, personId: string | null): boolean {
    if (personId === null) return false;
    const previous = this.lastName.get(trackKey);
    this.lastName.set(trackKey, personId);
    return previous !== undefined && previous !== personId;
  }

  /** Forgets an ended track. */
  end(trackKey: string): void {
    this.lastName.delete(trackKey);
  }

  /** Forgets every track of a camera whose tracks ended (its track ids start again). */
  endCamera(cameraId: string): void {
    for (const key of this.lastName.keys()) if (key.startsWith(`${cameraId}/`)) this.lastName.delete(key);
  }
}
