import { vi } from 'vitest';

/** One log record of a worker: Powertools writes each as a JSON line. */
type WorkerLogRecord = { level: string; message: string; service?: string; [key: string]: unknown };

const isRecordLine = (line: string): boolean => line.startsWith('{"level":');

/**
 * Captures the Powertools log lines the in-process workers write (to process.stdout and process.stderr through
 * their own Console, past vitest's console capture) while a test provokes failures on purpose. The expected
 * ERROR records then become assertions instead of noise in which a real error would go unseen. Anything else
 * written meanwhile is passed through untouched. Call restore() in a finally.
 */
const captureWorkerLogs = (): { records: WorkerLogRecord[]; errors: () => WorkerLogRecord[]; restore: () => void } => {
  const records: WorkerLogRecord[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    return vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const lines = text.split('\n').filter((line) => line !== '');
      if (lines.length === 0 || !lines.every(isRecordLine)) return write(chunk, ...rest);
      records.push(...lines.map((line) => JSON.parse(line) as WorkerLogRecord));
      const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write);
  });
  return {
    records,
    errors: () => records.filter((record) => record.level === 'ERROR' || record.level === 'CRITICAL'),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
};

export { captureWorkerLogs };
export type { WorkerLogRecord };
