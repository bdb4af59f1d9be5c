import { cpus, release, totalmem } from 'node:os';

export function fmt(n: number | undefined, digits = 0): string {
  return n === undefined
    ? ''
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}, Node ${process.version}`;
}

/** The file name of a run's raw results under bench/results/, from its start time. */
export function resultsFileName(date: string, prefix = ''): string {
  return `${prefix}${date.slice(0, 19).replace(/[:T]/g, '-')}.json`;
}
