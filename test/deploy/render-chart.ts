import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCommand } from './run-command.ts';

export const CHART_DIR = join(import.meta.dirname, '../../deploy/helm/ai4k8s');

/** A rendered Kubernetes object, loosely typed: tests read the fields they check. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // Manifests are arbitrary Kubernetes objects; tests narrow what they read.
  [field: string]: unknown;
}

export interface RenderOptions {
  helm: string;
  release: string;
  namespace: string;
  /** --set-json pairs (key → JSON value), so lists and maps pass unambiguously. */
  values?: Record<string, unknown>;
  /** -f values files (e.g. values-evaluate.yaml), applied before the --set-json pairs. */
  valuesFiles?: string[];
}

/** `helm template`; rejects with helm's message when the chart refuses the values. */
export async function renderChart({ helm, release, namespace, values = {}, valuesFiles = [] }: RenderOptions): Promise<{ manifests: Manifest[]; text: string }> {
  const sets = Object.entries(values).flatMap(([key, value]) => ['--set-json', `${key}=${JSON.stringify(value)}`]);
  const files = valuesFiles.flatMap((file) => ['-f', file]);
  const run = await runCommand(helm, ['template', release, CHART_DIR, '--namespace', namespace, ...files, ...sets]);
  if (run.code !== 0) throw new Error(`helm template failed: ${run.stderr}`);
  const manifests = parseAllDocuments(run.stdout)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`rendered YAML does not parse: ${doc.errors[0]?.message ?? ''}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
  return { manifests, text: run.stdout };
}
