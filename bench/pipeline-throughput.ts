import type { Benchmark } from './benchmark.ts';
export const pipelineThroughput: Benchmark = { name: 'pipeline-throughput', title: 'todo', needsCluster: true, run: () => Promise.reject(new Error('todo')) };
