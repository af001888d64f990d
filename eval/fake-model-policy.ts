import { text, toolUse, type ContentBlock, type MessagesRequest, type ScriptedReply } from '../dev/fakes/fake-anthropic-api.ts';

/**
 * The fake model the eval runs against in CI: a small rule-following agent, not a script of answers. It
 * reads the question and the thread, calls the tools a real model would (diagnose with the kind and name
 * it reads from the question, trying the next kind when the object is not found; rollout_history and
 * events_list for "what changed?"; deployment_scale for "scale X to N"), and writes its answer only from
 * the tool results it got back. It never follows instructions from tool results. What it knows of the
 * cluster is what the tools said, so a wrong tool answer makes a wrong eval answer.
 */
export function fakeModelReply(request: MessagesRequest): ScriptedReply {
  const messages = request.messages as Message[];
  const turn = currentTurn(messages);
  const results = turn.results;
  if (results.length === 0) return plan(turn.question, messages, []);
  const retry = retryWithAnotherKind(turn);
  if (retry !== undefined) return { content: [retry] };
  return { content: [text(compose(turn.question, turn.calls, results))], stop_reason: 'end_turn' };
}

interface Message {
  role: 'user' | 'assistant';
  content: string | Block[];
}
type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: unknown; is_error?: boolean };

interface Call {
  id: string;
  name: string;
  input: Record<string, unknown>;
}
interface Result {
  call: Call;
  text: string;
  isError: boolean;
}

/** The question of the current turn, and the tool calls and results since it. */
function currentTurn(messages: Message[]): { question: string; calls: Call[]; results: Result[] } {
  let start = messages.length - 1;
  while (start > 0 && !isQuestion(messages[start])) start--;
  const question = textOf(messages[start]);
  const calls: Call[] = [];
  const results: Result[] = [];
  for (const message of messages.slice(start + 1)) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use') calls.push({ id: block.id, name: block.name, input: block.input });
      if (block.type === 'tool_result') {
        const call = calls.find((c) => c.id === block.tool_use_id);
        if (call !== undefined) results.push({ call, text: resultText(block.content), isError: block.is_error === true });
      }
    }
  }
  return { question, calls, results };
}

function isQuestion(message: Message | undefined): boolean {
  if (message === undefined || message.role !== 'user') return false;
  return typeof message.content === 'string' || message.content.some((b) => b.type === 'text');
}

function textOf(message: Message | undefined): string {
  if (message === undefined) return '';
  if (typeof message.content === 'string') return message.content;
  return message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((c) => (typeof c === 'object' && c !== null && 'text' in c ? String((c as { text: unknown }).text) : '')).join('\n');
  return '';
}

const NAME = '[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?';

/** Which tools to call for a question: the plan a careful on-call engineer (or model) would make. */
function plan(question: string, messages: Message[], _results: Result[]): ScriptedReply {
  const q = question.replace(/<@[A-Z0-9]+>/g, ' ');
  if (q.startsWith('[approval outcome')) {
    const args = /(\w+) (\{.*?\})(?: and it was applied|, but| )/.exec(q);
    const input = args?.[2] === undefined ? {} : (JSON.parse(args[2]) as Record<string, unknown>);
    if (typeof input.namespace === 'string' && typeof input.name === 'string') {
      return call(
        [toolUse('workload_get', { kind: 'Deployment', namespace: input.namespace, name: input.name })],
        'Checking that the change took effect.',
      );
    }
    return { content: [text(`# Approval outcome\n${q.split('\n').slice(1, 3).join('\n')}`)] };
  }
  const scale = new RegExp(`\\bscale (?:deployment )?(${NAME})(?: in (?:namespace )?(${NAME}))? to (\\d+)`, 'i').exec(q);
  if (scale !== null) {
    const namespace = scale[2] ?? namespaceIn(q) ?? 'default';
    return call(
      [toolUse('deployment_scale', { namespace, name: scale[1] ?? '', replicas: Number(scale[3]) })],
      'Preparing the change; it needs an approval.',
    );
  }
  if (/what changed|what happened|since when/i.test(q)) {
    const context = messages.map(textOf).join('\n');
    const namespace = namespaceIn(q) ?? /namespace[=:]\s*"?(\S+?)"?[\s,}]/.exec(context)?.[1];
    const deployment = /deployment[=:]\s*"?(\S+?)"?[\s,}]/.exec(context)?.[1];
    if (namespace !== undefined) {
      const uses: ContentBlock[] = [toolUse('events_list', { namespace, since: '2h', limit: 20 })];
      if (deployment !== undefined) uses.push(toolUse('rollout_history', { namespace, name: deployment }));
      return call(uses, 'Looking at recent events and rollouts.');
    }
  }
  const target = targetOf(q);
  if (target !== undefined) return call([toolUse('diagnose', target)], 'Diagnosing.');
  // A follow-up with no target of its own: answer from what the thread already found.
  const earlier = earlierDiagnosis(messages);
  if (earlier !== undefined) return { content: [text(answerFollowUp(q, earlier))], stop_reason: 'end_turn' };
  return { content: [text('# I need a target\nWhich namespace and object do you mean?')], stop_reason: 'end_turn' };
}

function call(uses: ContentBlock[], preface: string): ScriptedReply {
  return { content: [text(preface), ...uses], stop_reason: 'tool_use' };
}

/** Words that follow "in" without being a namespace ("in which namespace", "in the logs"). */
const NOT_NAMESPACES = new Set([
  'which',
  'what',
  'the',
  'a',
  'an',
  'this',
  'that',
  'my',
  'our',
  'it',
  'there',
  'here',
  'pending',
  'should',
  'could',
  'would',
  'do',
  'does',
  'is',
  'are',
  'was',
  'i',
  'we',
  'you',
  'to',
  'be',
  'can',
  'will',
  'order',
]);

function namespaceIn(q: string): string | undefined {
  for (const match of q.matchAll(new RegExp(`\\b(?:in|namespace|-n)\\s+(?:namespace\\s+)?(${NAME})\\b`, 'gi'))) {
    const candidate = match[1] ?? '';
    if (!NOT_NAMESPACES.has(candidate.toLowerCase())) return candidate;
  }
  return undefined;
}

const KIND_WORDS: [RegExp, string][] = [
  [/\b(?:service|svc)\b/i, 'Service'],
  [/\bingress\b/i, 'Ingress'],
  [/\b(?:hpa|autoscaler)\b/i, 'HorizontalPodAutoscaler'],
  [/\b(?:pvc|volume claim|claim)\b/i, 'PersistentVolumeClaim'],
  [/\bcronjob\b/i, 'CronJob'],
  [/\bjob\b/i, 'Job'],
  [/\bcertificate\b/i, 'Certificate'],
  [/\bpod\b/i, 'Pod'],
];
const NOT_NAMES =
  /^(why|is|are|does|do|can't|cannot|to|a|an|of|for|my|our|crash\w*|fail\w*|restart\w*|stuck|pending|down|broken|dying|dead|erroring|unhealthy|starting|working|pull\w*|slow|not|never)$/i;

/** Kinds tried in turn when the question names none: the object is most often a Deployment. */
const GUESSES = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Job', 'CronJob'];

function targetOf(q: string): Record<string, unknown> | undefined {
  const node = /\bnode[s]? (node-[a-z0-9-]+|[a-z0-9-]+-node-[a-z0-9]+)\b/i.exec(q) ?? /\b(node-\d+)\b/.exec(q);
  if (node !== null) return { kind: 'Node', name: node[1] ?? '' };
  const namespace = namespaceIn(q);
  if (namespace === undefined) return undefined;
  const stuckNamespace = new RegExp(`namespace (${NAME}) .*(terminating|stuck)`, 'i').exec(q);
  if (stuckNamespace !== null) return { kind: 'Namespace', name: stuckNamespace[1] ?? '' };
  const kind = KIND_WORDS.find(([word]) => word.test(q))?.[1];
  // "the api service in ns", "why is billing crashing in ns", "why can't gateway in ns pull": the word before "in <ns>".
  const before = q.slice(0, q.search(new RegExp(`\\b(?:in|namespace)\\s+${namespace}\\b`)));
  const words = before
    .replace(
      /\b(?:the|service|svc|ingress|hpa|autoscaler|pvc|volume|claim|cronjob|job|certificate|deployment|pod|statefulset)\b|\(|\)/gi,
      ' ',
    )
    .trim()
    .split(/\s+/);
  // The object is a noun: skip the question's words and the symptoms ("why is billing crashlooping in ...").
  const name = [...words].reverse().find((w) => new RegExp(`^${NAME}$`).test(w) && !NOT_NAMES.test(w));
  if (name === undefined) return undefined;
  return { kind: kind ?? GUESSES[0], namespace, name };
}

/** After "not found" for a guessed kind, the next kind; the real model does the same. */
function retryWithAnotherKind(turn: { calls: Call[]; results: Result[] }): ContentBlock | undefined {
  const last = turn.results.at(-1);
  if (last === undefined || !last.isError || last.call.name !== 'diagnose' || !/not found/.test(last.text)) return undefined;
  const tried = new Set(turn.calls.filter((c) => c.name === 'diagnose').map((c) => String(c.input.kind)));
  const next = GUESSES.find((kind) => !tried.has(kind));
  return next === undefined ? undefined : toolUse('diagnose', { ...last.call.input, kind: next });
}

/** The answer, written from the tool results only. */
function compose(question: string, calls: Call[], results: Result[]): string {
  const good = results.filter((r) => !r.isError);
  const refused = results.find((r) => r.isError && !/not found/.test(r.text));
  if (good.length === 0) {
    if (refused !== undefined)
      return `# I could not look at that\nThe tool refused the call: ${firstLine(refused.text)}\nI did not read anything there, so I cannot say why.`;
    return `# Not found\n${firstLine(results.at(-1)?.text ?? '')}`;
  }
  const diagnosis = good.find((r) => r.call.name === 'diagnose');
  if (diagnosis !== undefined) return answerFromDiagnosis(diagnosis.text);
  const write = good.find((r) => /awaits a human approval|DRY RUN/.test(r.text));
  if (write !== undefined)
    return `# Waiting for approval\nThe change was previewed and awaits an approver's click: ${firstLine(write.text)}`;
  const workload = good.find((r) => r.call.name === 'workload_get');
  if (workload !== undefined)
    return `# Done\nVerified: ${firstLine(workload.text)}\n${workload.text
      .split('\n')
      .filter((l) => /replicas/.test(l))
      .slice(0, 2)
      .join('\n')}`;
  const history = good.find((r) => r.call.name === 'rollout_history');
  const events = good.find((r) => r.call.name === 'events_list');
  const lines = [`# What changed${/what changed/i.test(question) ? '' : ` (${calls.length} tool calls)`}`];
  if (history !== undefined) lines.push('Rollouts:', ...history.text.split('\n').slice(0, 8));
  if (events !== undefined) lines.push('Recent events:', ...fenced(events.text).slice(0, 8));
  return lines.join('\n');
}

function answerFromDiagnosis(result: string): string {
  // The verdict and evidence quote cluster text: they lead the result's first fence.
  const lines = fenced(result);
  const verdict = lines[0] ?? '';
  const evidence = lines.filter((l) => l.startsWith('- ')).slice(0, 6);
  const next = lines.find((l) => l.startsWith('Next step:'));
  return [
    `# ${verdict.length > 150 ? `${verdict.slice(0, 147)}…` : verdict}`,
    verdict,
    '',
    'Evidence:',
    ...evidence,
    ...(next === undefined ? [] : ['', next]),
  ].join('\n');
}

/** The thread's latest diagnose result, else the latest answer: what a follow-up is about. */
function earlierDiagnosis(messages: Message[]): string | undefined {
  const blocks = messages.flatMap((m) => (typeof m.content === 'string' ? [] : m.content));
  const results = blocks.flatMap((b) => (b.type === 'tool_result' ? [resultText(b.content)] : []));
  const answers = messages.filter((m) => m.role === 'assistant').map(textOf);
  return [...results].reverse().find((t) => /Root cause \(/.test(t)) ?? [...answers].reverse().find((t) => /^# /m.test(t));
}

/** A follow-up answered from the earlier diagnosis: the lines that share the question's words. */
function answerFollowUp(question: string, earlier: string): string {
  const words = question.toLowerCase().match(/[a-z]{4,}/g) ?? [];
  const stems = words.map((w) => w.replace(/(s|ing|ed)$/, ''));
  const lines = earlier.split('\n').filter((l) => stems.some((s) => l.toLowerCase().includes(s)));
  return ['# From the diagnosis above', ...(lines.length > 0 ? lines.slice(0, 6) : earlier.split('\n').slice(0, 3))].join('\n');
}

function firstLine(value: string): string {
  return value.split('\n')[0] ?? '';
}

/** The lines inside untrusted-data fences (event tables), without the fence lines. */
function fenced(value: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of value.split('\n')) {
    if (/^`{3,}untrusted-cluster-data-/.test(line)) inside = true;
    else if (/^`{3,} end-untrusted-cluster-data-/.test(line)) inside = false;
    else if (inside) out.push(line);
  }
  return out;
}
