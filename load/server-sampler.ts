/** One sample of the server's memory, read from its Prometheus /metrics. */
export interface MemorySample {
  atS: number;
  rssMb: number | null;
  heapUsedMb: number | null;
}

const MB = 1024 * 1024;

function gauge(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  if (!line) return null;
  const value = Number(line.slice(line.lastIndexOf(' ') + 1));
  return Number.isFinite(value) ? value : null;
}

/**
 * Samples RSS and heap from /metrics every `everyS` (the process metrics of prom-client,
 * `trinetra_process_resident_memory_bytes` and `trinetra_nodejs_heap_size_used_bytes`). Against a
 * cluster the scrape reaches one replica per request (whichever the load balancer picks); point
 * `--metrics-url` at one pod to follow one process. Failures are recorded as null samples.
 */
export class ServerSampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private warned = false;

  constructor(
    private readonly metricsUrl: string,
    private readonly metricsToken: string | undefined,
    private readonly startedAt: number,
  ) {}

  start(everyS: number): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), everyS * 1000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
  }

  private async sample(): Promise<void> {
    const atS = Math.round((Date.now() - this.startedAt) / 100) / 10;
    try {
      const res = await fetch(this.metricsUrl, { headers: this.metricsToken ? { authorization: `Bearer ${this.metricsToken}` } : {} });
      if (!res.ok) throw new Error(`HTTP ${res.status}${res.status === 401 || res.status === 404 ? ' (set --metrics-token / TRINETRA_METRICS_TOKEN)' : ''}`);
      const text = await res.text();
      const rss = gauge(text, 'trinetra_process_resident_memory_bytes');
      const heap = gauge(text, 'trinetra_nodejs_heap_size_used_bytes');
      this.samples.push({ atS, rssMb: rss === null ? null : rss / MB, heapUsedMb: heap === null ? null : heap / MB });
    } catch (error) {
      this.samples.push({ atS, rssMb: null, heapUsedMb: null });
      if (!this.warned) process.stderr.write(`load: cannot read ${this.metricsUrl}: ${error instanceof Error ? error.message : String(error)}\n`);
      this.warned = true;
    }
  }
}
