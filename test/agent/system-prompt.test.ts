import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Toolbox } from '../../src/contract/toolbox.ts';
import { systemPrompt } from '../../src/agent/system-prompt.ts';
import { buildToolList } from '../../src/mcp/build-tool-list.ts';
import { allTools } from '../../src/mcp/toolsets/index.ts';

/** The tools and hints a worker's toolbox holds for the server's tool list (as mcpToolbox maps tools/list). */
function offered(readOnly: boolean): Pick<Toolbox, 'tools' | 'hints'> {
  const tools = buildToolList({ tools: allTools(), readOnly });
  return {
    tools: tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: { type: 'object' as const } })),
    hints: new Map(
      tools.map((tool) => [tool.name, { readOnlyHint: tool.annotations.readOnlyHint, destructiveHint: tool.annotations.destructiveHint }]),
    ),
  };
}

describe('systemPrompt follows what the toolbox offers', () => {
  it('read-only tools: the model is told it can only read the cluster', () => {
    const prompt = systemPrompt(offered(true));
    assert.match(prompt, /You can only read the cluster\./);
    assert.doesNotMatch(prompt, /Approve \/ Deny/);
  });

  it('write tools offered: the model is told they only preview and wait for a human approval, naming them', () => {
    const prompt = systemPrompt(offered(false));
    assert.doesNotMatch(prompt, /You can only read the cluster/);
    assert.match(
      prompt,
      /You can propose changes with deployment_scale, rollout_restart, rollout_undo, pod_delete, node_cordon, node_uncordon, node_drain, but you never apply them/,
    );
    assert.match(prompt, /nothing changes until an authorised person approves it/);
  });

  it('a tool without hints counts as a write, as the approval gate treats it', () => {
    const prompt = systemPrompt({ tools: [{ name: 'mystery_tool', input_schema: { type: 'object' } }], hints: new Map() });
    assert.match(prompt, /You can propose changes with mystery_tool/);
  });
});
