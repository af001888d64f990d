import { parentPort, workerData } from 'node:worker_threads';
import { hostileText, type HostileTextName } from './hostile-text.ts';
import { hostileSubjects, type HostileSubjectName } from './hostile-subjects.ts';

/** The worker side of measureHostileCost: a warm-up on ordinary text, then each hostile input in turn. */
const { subject, inputs, size } = workerData as { subject: HostileSubjectName; inputs: HostileTextName[]; size: number };
const call = hostileSubjects[subject];
call('A pod **restarted** 3 times: `checkout-1` in `shop`, see [docs](https://k8s.io).\n\n- one\n- two\n'.repeat(40));
for (const input of inputs) {
  const text = hostileText[input](size);
  parentPort?.postMessage({ kind: 'start', input });
  const cpu = process.cpuUsage();
  const started = performance.now();
  let error: string | undefined;
  try {
    call(text);
  } catch (thrown) {
    error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  }
  const used = process.cpuUsage(cpu);
  parentPort?.postMessage({
    kind: 'done',
    input,
    cpuMs: (used.user + used.system) / 1000,
    wallMs: performance.now() - started,
    ...(error === undefined ? {} : { error }),
  });
}
